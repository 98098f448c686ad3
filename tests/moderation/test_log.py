"""The audit log API: who did what to which comment or user, when and why, newest first."""

from __future__ import annotations

from blog.models import CommentStatus
from tests.moderation.factories import make_comment


def test_the_log_lists_decisions_and_bans_newest_first(post, reader, moderator, moderator_client):
    comment = make_comment(post, reader, status=CommentStatus.PENDING)
    moderator_client.post(f"/api/v1/moderation/comments/{comment.id}",
                          json={"action": "reject", "reason": "off topic"})
    moderator_client.put(f"/api/v1/moderation/users/{reader.id}/ban", json={"reason": "again"})
    response = moderator_client.get("/api/v1/moderation/log")
    assert response.status_code == 200
    ban, rejection = response.get_json()["items"]
    assert ban["action"] == "ban"
    assert ban["user"] == {"id": reader.id, "display_name": reader.display_name}
    assert ban["detail"] == "permanent"
    assert rejection["action"] == "reject"
    assert rejection["moderator"] == {"id": moderator.id, "display_name": moderator.display_name}
    assert (rejection["comment_id"], rejection["status_before"], rejection["status_after"],
            rejection["reason"]) == (comment.id, "pending", "rejected", "off topic")
    assert rejection["created_at"].endswith("+00:00")
    assert "email" not in str(response.get_json())


def test_the_log_pages_with_a_cursor(post, reader, moderator_client):
    comments = [make_comment(post, reader, status=CommentStatus.PENDING) for _ in range(3)]
    for comment in comments:
        moderator_client.post(f"/api/v1/moderation/comments/{comment.id}",
                              json={"action": "spam"})
    first = moderator_client.get("/api/v1/moderation/log?limit=2").get_json()
    second = moderator_client.get(
        f"/api/v1/moderation/log?limit=2&cursor={first['next_cursor']}").get_json()
    seen = [item["comment_id"] for item in first["items"] + second["items"]]
    assert seen == [c.id for c in reversed(comments)]
    assert second["next_cursor"] is None


def test_a_bad_cursor_is_422(moderator_client):
    assert moderator_client.get("/api/v1/moderation/log?cursor=nope").status_code == 422
