"""A small known history of the queues, for the dashboard's tests (numbers worked out by hand).

Relative to `now` (N), on three posts:

| comment | written | status now | left the queue | signals |
|---|---|---|---|---|
| A | N-10 h | approved | N-9 h (1 h) | new_account |
| B | N-7 h | rejected | N-3 h (4 h) | new_account, suspect_word |
| C | N-48 h | spam | N-47.5 h (30 min) | toxicity |
| D | N-20 d | approved | N-13 d (7 d) | repeat |
| E | N-1 h | pending | | new_account, trusted |
| F | N-20 d | pending | | suspect_word |
| G | N-30 d | approved | N-29 d (before the window) | new_account |
| H, I | N-30 min, N-90 min | approved, never held | | trusted |

Decisions in the window: A, B, C, D: median of 30 min, 1 h, 4 h, 7 d = 2 h 30 min.
Held comments written in the window: A, B, C, E (4): new_account 3 (75 %), suspect_word 1
(25 %), toxicity 1 (25 %); D and F were written before it, `trusted` holds nothing.
Pending now: E and F. Flags: post "Harbour" has 2 comments in the flagged queue with 5 open flags
(2 on an approved comment, 3 on a flagged one), "Ferry" 1 comment with 1 flag; "Bridge" has a
rejected comment with 2 flags, no longer in the flagged queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from blog.extensions import db
from blog.models import Comment, ModerationLogEntry, Post, User
from tests.factories import make_post
from tests.moderation.factories import make_comment

H = timedelta(hours=1)
D = timedelta(days=1)


@dataclass
class History:
    now: datetime
    harbour: Post
    ferry: Post
    bridge: Post
    comments: dict[str, Comment]


def decided(comment: Comment, at: datetime, after: str, moderator: User) -> None:
    db.session.add(ModerationLogEntry(
        created_at=at, moderator_id=moderator.id, action={"approved": "approve",
                                                          "rejected": "reject"}.get(after, after),
        comment_id=comment.id, user_id=comment.author_id, post_id=comment.post_id,
        status_before="pending", status_after=after))


def seed_history(now: datetime, author: User, reader: User, moderator: User) -> History:
    harbour = make_post(author, "Harbour dredging begins")
    ferry = make_post(author, "Ferry timetable changes")
    bridge = make_post(author, "Bridge repairs")
    comments: dict[str, Comment] = {}

    def comment(name, post, written, status, signals, decided_at=None, **fields):
        c = make_comment(post, reader, f"Comment {name}.", status=status, signals=signals,
                         commit=False)
        c.created_at = now - written
        for key, value in fields.items():
            setattr(c, key, value)
        if decided_at is not None:
            decided(c, now - decided_at, status, moderator)
        comments[name] = c
        return c

    comment("A", harbour, 10 * H, "approved", ["new_account"], 9 * H)
    comment("B", harbour, 7 * H, "rejected", ["new_account", "suspect_word"], 3 * H)
    comment("C", ferry, 48 * H, "spam", ["toxicity"], 47.5 * H)
    comment("D", ferry, 20 * D, "approved", ["repeat"], 13 * D)
    comment("E", bridge, 1 * H, "pending", ["new_account", "trusted"])
    comment("F", bridge, 20 * D, "pending", ["suspect_word"])
    comment("G", bridge, 30 * D, "approved", ["new_account"], 29 * D)
    comment("H", ferry, 0.5 * H, "approved", ["trusted"])
    comment("I", ferry, 1.5 * H, "approved", ["trusted"])
    # The flagged queue (written long ago, so they do not count in the last hours' figures).
    comment("X", harbour, 30 * D, "approved", [], flag_count=2)
    comment("Y", harbour, 30 * D, "flagged", ["reader_flags"], flag_count=3)
    comment("Z", ferry, 30 * D, "approved", [], flag_count=1)
    comment("W", bridge, 30 * D, "rejected", ["reader_flags"], flag_count=2)
    db.session.commit()
    return History(now, harbour, ferry, bridge, comments)
