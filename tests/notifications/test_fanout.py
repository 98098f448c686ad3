"""Who hears of what: each kind, each follow level, muting, and the rules that keep it quiet."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import CommentStatus, Event, FollowLevel, Role
from blog.services import events, follows, posts
from blog.services.comment_status import change_status
from tests.factories import make_post, make_user
from tests.notifications.helpers import (
    kinds_for,
    make_comment,
    notifications_for,
    run_worker,
)


def follow(user, post, level):
    follows.follow_post(user, post, level)
    db.session.commit()


def test_a_reply_notifies_the_parent_author_with_its_actor_and_comment(post, reader,
                                                                       other_reader):
    parent = make_comment(post, reader)
    reply = make_comment(post, other_reader, parent=parent)
    run_worker()
    [notification] = notifications_for(reader)
    assert (notification.kind, notification.actor_id, notification.comment_id) == (
        "reply", other_reader.id, reply.id)
    assert notification.post_id == post.id


@pytest.mark.parametrize(("level", "expected"), [
    (FollowLevel.ALL, ["comment"]),
    (FollowLevel.REPLIES, []),
    (FollowLevel.MUTED, []),
])
def test_a_new_comment_reaches_followers_at_level_all_only(post, reader, other_reader,
                                                           level, expected):
    follow(reader, post, level)
    make_comment(post, other_reader)
    run_worker()
    assert kinds_for(reader) == expected


@pytest.mark.parametrize(("level", "expected"), [
    (FollowLevel.ALL, ["reply"]),
    (FollowLevel.REPLIES, ["reply"]),
    (FollowLevel.MUTED, []),
])
def test_replies_reach_every_level_but_muted(post, reader, other_reader, level, expected):
    parent = make_comment(post, reader)
    follow(reader, post, level)
    make_comment(post, other_reader, parent=parent)
    run_worker()
    assert kinds_for(reader) == expected


def test_unfollowing_a_thread_stops_replies_too(post, reader, other_reader):
    parent = make_comment(post, reader)
    follows.unfollow(reader, follows.FollowType.POST, post.id)
    db.session.commit()
    make_comment(post, other_reader, parent=parent)
    run_worker()
    assert kinds_for(reader) == []


def test_commenting_follows_the_thread_at_replies_but_keeps_a_chosen_level(post, reader):
    make_comment(post, reader)
    assert follows.find_follow(reader, follows.FollowType.POST, post.id).level == "replies"
    follow(reader, post, FollowLevel.MUTED)
    make_comment(post, reader)
    assert follows.find_follow(reader, follows.FollowType.POST, post.id).level == "muted"


def test_auto_follow_off_means_no_follow_and_no_replies(post, reader, other_reader):
    follows.update_preferences(reader, {"auto_follow": False})
    db.session.commit()
    parent = make_comment(post, reader)
    make_comment(post, other_reader, parent=parent)
    run_worker()
    assert follows.find_follow(reader, follows.FollowType.POST, post.id) is None
    assert kinds_for(reader) == []


def test_a_reply_to_a_thread_follower_at_all_is_one_reply_not_two(post, reader, other_reader):
    parent = make_comment(post, reader)
    follow(reader, post, FollowLevel.ALL)
    make_comment(post, other_reader, parent=parent)
    run_worker()
    assert kinds_for(reader) == ["reply"]
    assert notifications_for(reader)[0].reason == "reply"


def test_nobody_is_notified_of_their_own_comment(post, reader):
    follow(reader, post, FollowLevel.ALL)
    parent = make_comment(post, reader)
    make_comment(post, reader, parent=parent)
    run_worker()
    assert kinds_for(reader) == []


@pytest.mark.parametrize("status", [CommentStatus.PENDING, CommentStatus.SPAM,
                                    CommentStatus.REJECTED])
def test_a_comment_that_is_not_approved_notifies_nobody(post, reader, other_reader, status):
    follow(reader, post, FollowLevel.ALL)
    parent = make_comment(post, reader)
    make_comment(post, other_reader, parent=parent, status=status)
    run_worker()
    assert kinds_for(reader) == []


def test_a_held_comment_notifies_once_approved(post, reader, other_reader):
    parent = make_comment(post, reader)
    held = make_comment(post, other_reader, parent=parent, status=CommentStatus.PENDING)
    run_worker()
    assert kinds_for(reader) == []
    change_status(held, CommentStatus.APPROVED)
    db.session.commit()
    run_worker()
    assert kinds_for(reader) == ["reply"]


def test_a_comment_hidden_before_the_worker_ran_notifies_nobody(post, reader, other_reader):
    parent = make_comment(post, reader)
    reply = make_comment(post, other_reader, parent=parent)
    change_status(reply, CommentStatus.FLAGGED)
    db.session.commit()
    run_worker()
    assert kinds_for(reader) == []


def test_approving_a_comment_again_never_notifies_twice(post, reader, other_reader):
    parent = make_comment(post, reader)
    reply = make_comment(post, other_reader, parent=parent)
    run_worker()
    change_status(reply, CommentStatus.FLAGGED)
    change_status(reply, CommentStatus.APPROVED)
    db.session.commit()
    run_worker()
    assert kinds_for(reader) == ["reply"]


def test_the_same_event_written_twice_gives_one_notification(post, reader, other_reader):
    parent = make_comment(post, reader)
    reply = make_comment(post, other_reader, parent=parent)
    events.comment_approved(reply)
    db.session.commit()
    run_worker()
    keys = db.session.scalars(select(Event.key).where(Event.comment_id == reply.id)).all()
    assert keys == [f"comment:{reply.id}"] * 2
    assert kinds_for(reader) == ["reply"]


@pytest.mark.parametrize(("decision", "expected"), [("approve", "approve"),
                                                    ("reject", "reject")])
def test_the_moderators_decision_reaches_the_comments_author(post, reader, moderator,
                                                             decision, expected):
    comment = make_comment(post, reader, status=CommentStatus.PENDING)
    events.comment_decided(comment, decision, moderator)
    db.session.commit()
    run_worker()
    [notification] = notifications_for(reader)
    assert (notification.kind, notification.detail, notification.actor_id) == (
        "moderation", expected, moderator.id)


def test_a_moderator_deciding_on_their_own_comment_is_not_notified(post, moderator):
    comment = make_comment(post, moderator, status=CommentStatus.PENDING)
    events.comment_decided(comment, "approve", moderator)
    db.session.commit()
    run_worker()
    assert kinds_for(moderator) == []


def test_a_new_post_reaches_followers_of_its_author_and_its_tags_once(author, reader,
                                                                      other_reader):
    third = make_user(display_name="Third Reader")
    politics, local = posts.tags_named(["Politics", "Local"])
    follows.follow_author(reader, author)
    follows.follow_tag(reader, politics)      # author and tag: one notification, reason author
    follows.follow_tag(other_reader, politics)
    follows.follow_tag(other_reader, local)   # two tags: one notification
    db.session.commit()
    post = make_post(author, "Vote count", tags=["Politics", "Local"])
    run_worker()
    assert [(n.kind, n.reason, n.post_id) for n in notifications_for(reader)] == [
        ("post", "author", post.id)]
    assert [(n.kind, n.reason) for n in notifications_for(other_reader)] == [("post", "tag")]
    assert kinds_for(third) == []


def test_a_draft_notifies_nobody_until_published(author, reader):
    follows.follow_author(reader, author)
    db.session.commit()
    draft = make_post(author, "Draft", status="draft")
    run_worker()
    assert kinds_for(reader) == []
    posts.update_post(draft, author, {"status": "published"})
    posts.update_post(draft, author, {"title": "Published, then edited"})
    db.session.commit()
    run_worker()
    assert kinds_for(reader) == ["post"]


def test_the_author_of_a_post_is_not_notified_of_it(author):
    other_author = make_user(role=Role.AUTHOR)
    politics = posts.tags_named(["Politics"])[0]
    follows.follow_tag(author, politics)
    follows.follow_author(author, other_author)
    db.session.commit()
    make_post(author, "Mine", tags=["Politics"])
    run_worker()
    assert kinds_for(author) == []


def test_publishing_writes_the_event_in_the_same_transaction(author):
    make_post(author, "Rolled back", status="draft")
    post = posts.create_post(author, {"title": "Never committed", "status": "published"})
    assert post.id is not None
    db.session.rollback()
    assert db.session.scalars(select(Event)).all() == []


def test_an_event_that_fails_does_not_block_the_others(post, reader, other_reader, monkeypatch,
                                                       caplog):
    from blog.services import notifications

    parent = make_comment(post, reader)
    expand = notifications.expand_event

    def failing_for_the_parent(event):
        if event.key == f"comment:{parent.id}":
            raise RuntimeError("boom")
        return expand(event)

    monkeypatch.setattr(notifications, "expand_event", failing_for_the_parent)
    make_comment(post, other_reader, parent=parent)
    run_worker()
    assert kinds_for(reader) == ["reply"]
    failed = db.session.scalar(select(Event).where(Event.key == f"comment:{parent.id}"))
    assert failed.processed_at is not None and "boom" in failed.data["error"]
    assert "could not be expanded" in caplog.text
