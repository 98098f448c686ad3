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


@pytest.fixture(autouse=True)
def no_moderation_holds(app):
    """These tests are about comments, not moderation: a reader's comment goes straight up.

    (By default the moderation pipeline holds a user's first comments and repeated texts;
    tests/moderation covers that.)
    """
    app.config["MODERATION_NEW_USER_APPROVED"] = 0
    app.config["MODERATION_REPEAT_WINDOW_SECONDS"] = 0
