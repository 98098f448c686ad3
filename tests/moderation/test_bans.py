"""Bans through the API: timed, permanent, shadow; unbans; all written to the log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from blog.extensions import db
from blog.models import Ban, ModerationLogEntry, utcnow
from blog.services.errors import Forbidden
from blog.services.moderation import assess_comment, ensure_may_comment
from tests.moderation.test_pipeline import draft


def ban_url(user):
    return f"/api/v1/moderation/users/{user.id}/ban"


def test_a_ban_refuses_the_user_and_is_logged(moderator_client, moderator, reader):
    response = moderator_client.put(ban_url(reader), json={"reason": "abuse"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["user"] == {"id": reader.id, "display_name": reader.display_name}
    assert (body["reason"], body["until"], body["shadow"]) == ("abuse", None, False)
    with pytest.raises(Forbidden, match="banned"):
        ensure_may_comment(reader)
    entry = db.session.scalar(select(ModerationLogEntry))
    assert (entry.action, entry.moderator_id, entry.user_id, entry.reason) == (
        "ban", moderator.id, reader.id, "abuse")


def test_a_timed_ban_ends_by_itself(moderator_client, reader):
    until = (utcnow() + timedelta(hours=2)).isoformat()
    assert moderator_client.put(ban_url(reader), json={"until": until}).status_code == 200
    with pytest.raises(Forbidden):
        ensure_may_comment(reader)
    # Time passes: nothing runs, and yet the ban is over.
    db.session.execute(update(Ban).values(until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    ensure_may_comment(reader)


@pytest.mark.parametrize(("until", "field"), [
    ("2020-01-01T00:00:00+00:00", "until"),
    ("2999-01-01T00:00:00", "until"),  # no time zone
    ("tomorrow", "until"),
])
def test_a_ban_needs_a_future_time_with_a_zone(moderator_client, reader, until, field):
    response = moderator_client.put(ban_url(reader), json={"until": until})
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_a_shadow_ban_lets_the_user_post_into_the_spam_queue(moderator_client, reader, post):
    assert moderator_client.put(ban_url(reader), json={"shadow": True}).status_code == 200
    ensure_may_comment(reader)
    assessment = assess_comment(draft(post, reader))
    assert (assessment.status, "shadow_ban" in assessment.signals) == ("spam", True)


def test_banning_again_changes_the_ban(moderator_client, reader):
    moderator_client.put(ban_url(reader), json={"shadow": True})
    moderator_client.put(ban_url(reader), json={"shadow": False, "reason": "open now"})
    ban = db.session.scalar(select(Ban))
    db.session.refresh(ban)
    assert (ban.shadow, ban.reason) == (False, "open now")


def test_unban_lifts_the_ban_and_is_logged(moderator_client, reader):
    moderator_client.put(ban_url(reader), json={})
    response = moderator_client.delete(ban_url(reader))
    assert response.status_code == 204
    ensure_may_comment(reader)
    actions = db.session.scalars(select(ModerationLogEntry.action)
                                 .order_by(ModerationLogEntry.id)).all()
    assert actions == ["ban", "unban"]


def test_unbanning_someone_not_banned_is_harmless(moderator_client, reader):
    assert moderator_client.delete(ban_url(reader)).status_code == 204
    assert db.session.scalar(select(ModerationLogEntry)) is None


@pytest.mark.parametrize("target", ["moderator", "admin"])
def test_staff_cannot_be_banned(request, moderator_client, target):
    user = request.getfixturevalue(target)
    assert moderator_client.put(ban_url(user), json={}).status_code == 403


def test_banning_an_unknown_user_is_404(moderator_client):
    assert moderator_client.put("/api/v1/moderation/users/99999/ban", json={}).status_code == 404
