"""A reader who has done a bit of everything, so export and deletion have rows to find."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from blog.extensions import db
from blog.models import Comment, Post, User
from blog.services import (
    accounts,
    bans,
    comments,
    follows,
    moderation_decisions,
    subscriptions,
)
from tests.factories import make_post
from tests.notifications.helpers import make_comment, run_worker


@dataclass
class Footprint:
    """What `reader` left behind, and comments of others that it touched."""

    user: User
    post: Post
    lonely: Comment  # the reader's comment nobody answered
    answered: Comment  # the reader's comment with another reader's reply
    own_reply: Comment  # the reader's reply to their own comment, answered by another
    others: Comment  # another reader's comment the reader voted on, flagged and answered
    others_reply: Comment  # the other reader's reply to `answered`


@pytest.fixture(autouse=True)
def no_moderation_holds(app):
    app.config["MODERATION_NEW_USER_APPROVED"] = 0
    app.config["MODERATION_REPEAT_WINDOW_SECONDS"] = 0


@pytest.fixture
def footprint(app, reader, other_reader, author, moderator) -> Footprint:
    post = make_post(author, "Harbour council votes on the new sea wall", tags=["Harbour"])
    others = make_comment(post, other_reader, body="The wall is too low.")
    answered = make_comment(post, reader, body="It was built in 1952.")
    others_reply = make_comment(post, other_reader, parent=answered, body="Rebuilt in 1988.")
    lonely = make_comment(post, reader, body="Nobody answers this one.")
    top = make_comment(post, reader, body="A thread of my own.")
    own_reply = make_comment(post, reader, parent=top, body="And my own answer to it.")
    comments.vote(others, reader, 1)
    comments.vote(others_reply, reader, -1)
    comments.vote(answered, other_reader, 1)
    comments.flag_comment(others, reader, "off_topic", "Not about the wall.")
    follows.follow_post(reader, post, "all")
    follows.follow_author(reader, author)
    follows.follow_author(other_reader, reader)
    follows.update_preferences(reader, {"email": "daily"})
    accounts.create_api_token(reader, "my script")
    subscriptions.subscribe(reader.email, ["Harbour"])
    bans.ban_user(reader, moderator, reason="cooling off")
    bans.unban_user(reader, moderator, reason="served")
    held = make_comment(post, reader, status="pending", body="Held for review.")
    moderation_decisions.decide(held.id, "reject", moderator, "too heated")
    db.session.commit()
    make_comment(post, other_reader, parent=own_reply, body="A reply that notifies the reader.")
    run_worker()
    db.session.commit()
    return Footprint(reader, post, lonely, answered, own_reply, others, others_reply)
