"""Fixtures shared by the comment tests."""

from __future__ import annotations

import pytest

from tests.factories import make_post


@pytest.fixture
def post(author):
    return make_post(author, "Harbour council votes on the new sea wall")


@pytest.fixture
def closed_post(author):
    return make_post(author, "An older story", comments_open=False)
