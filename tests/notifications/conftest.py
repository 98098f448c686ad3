"""Fixtures for notification tests: a post with an author (SMTP: tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.factories import make_post


@pytest.fixture
def post(author):
    return make_post(author, "Elections in the north", tags=["Politics", "Local"])
