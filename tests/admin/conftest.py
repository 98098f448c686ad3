"""Fixtures for the admin pages."""

from __future__ import annotations

import pytest

from tests.factories import make_post


@pytest.fixture
def post(author):
    return make_post(author, "The harbour bridge reopens")
