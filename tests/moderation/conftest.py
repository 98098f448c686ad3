"""Fixtures shared by the moderation tests."""

from __future__ import annotations

import pytest

from tests.factories import make_post


@pytest.fixture
def post(author):
    return make_post(author, "The harbour bridge reopens")


@pytest.fixture
def decided(monkeypatch):
    """Record the comment_decided events the moderation services emit."""
    calls = []
    from blog.services import events

    monkeypatch.setattr(events, "comment_decided",
                        lambda comment, decision, moderator: calls.append(
                            (comment.id, decision, moderator.id if moderator else None)))
    return calls
