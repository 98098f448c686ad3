"""A held comment's author hears of the moderator's decision, end to end.

Decided through the moderators' API (not by calling the event function), then the worker runs:
the author's feed has the notification and the email arrives at a real SMTP server.
"""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest

from blog.models import CommentStatus
from tests.notifications.helpers import make_comment, run_worker


@pytest.mark.parametrize(("action", "subject", "feed_text"), [
    ("approve", "was approved", "was approved"),
    ("reject", "was not approved", "was not approved"),
])
def test_deciding_a_held_comment_reaches_its_author_in_the_feed_and_by_email(
        smtp, mailbox, post, reader, reader_client, moderator_client, action, subject,
        feed_text):
    comment = make_comment(post, reader, status=CommentStatus.PENDING, body="Held for review.")
    response = moderator_client.post(f"/api/v1/moderation/comments/{comment.id}",
                                     json={"action": action, "reason": ""})
    assert response.status_code == 200, response.get_json()

    run_worker()

    feed = reader_client.get("/api/v1/me/notifications").get_json()["items"]
    assert [(item["kind"], item["decision"]) for item in feed] == [("moderation", action)]
    page = reader_client.get("/notifications")
    assert feed_text in page.get_data(as_text=True)
    [message] = mailbox.messages
    assert message["To"] == reader.email
    decoded_subject = str(make_header(decode_header(message["Subject"])))
    assert decoded_subject.startswith("Your comment on")
    assert subject in decoded_subject and post.title in decoded_subject


def test_a_decision_that_changes_nothing_sends_nothing(smtp, mailbox, post, reader,
                                                      moderator_client):
    comment = make_comment(post, reader, status=CommentStatus.APPROVED)
    response = moderator_client.post(f"/api/v1/moderation/comments/{comment.id}",
                                     json={"action": "approve", "reason": ""})
    assert response.status_code == 200
    run_worker()
    assert mailbox.messages == []
