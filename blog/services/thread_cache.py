"""Versions of comment threads, and a memo of anonymous thread pages keyed by them.

Every transaction that changes a comment raises its post's `comments_version` by one, in the
same transaction, just before it commits: the ORM changes are noticed by a flush hook (new,
changed or deleted `Comment` rows), and services that change comments with a bulk UPDATE
statement say so with `note_change`. Readers read the version first and the thread after it,
so a thread page is never older than the version it is filed under.

That makes a per-process memo safe across gunicorn workers: an anonymous page is kept under
(post id, version, sort, cursor, limit), the version comes from the database on every request,
and a change anywhere makes every worker miss and render afresh. The memo is bounded in bytes
(THREAD_CACHE_BYTES; least recently used pages go first; 0 turns it off).

All writers of a post's comments meet on its row at the end of their transaction; on
PostgreSQL that serializes them for the length of one UPDATE and a COMMIT.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import Flask, current_app
from sqlalchemy import bindparam, event, update
from sqlalchemy.orm import Session

from blog.models import Comment, Post

_CHANGED = "blog.changed_comment_posts"
_RAISED = "blog.raised_comment_versions"
T = TypeVar("T")

#: The values of a post UPDATE that raises its thread version. It keeps updated_at: a comment
#: is not an edit of the post (its onupdate would fire).
RAISE_VERSION = {"comments_version": Post.__table__.c.comments_version + 1,
                 "updated_at": Post.__table__.c.updated_at}
_BUMP = (update(Post.__table__).where(Post.__table__.c.id == bindparam("post_id"))
         .values(**RAISE_VERSION))


def note_change(session: Session, post_id: int) -> None:
    """Record that a comment of `post_id` changed without the ORM seeing it (bulk UPDATE)."""
    session.info.setdefault(_CHANGED, set()).add(post_id)


def note_raised(session: Session, post_id: int) -> None:
    """Record that this transaction already raised `post_id`'s version (in an UPDATE of the
    post it made anyway): the commit need not raise it again. Forgotten on any rollback, a
    savepoint's included, as that may have undone it."""
    session.info.setdefault(_RAISED, set()).add(post_id)


@event.listens_for(Session, "after_rollback")
def _forget_raised_on_rollback(session: Session) -> None:
    session.info.pop(_RAISED, None)


@event.listens_for(Session, "before_flush")
def _note_flushed_comments(session: Session, flush_context, instances) -> None:
    for comment in (*session.new, *session.deleted, *session.dirty):
        if not isinstance(comment, Comment):
            continue
        if comment in session.dirty and not session.is_modified(comment):
            continue
        post_id = comment.post_id if comment.post_id is not None else comment.post.id
        note_change(session, post_id)


@event.listens_for(Session, "before_commit")
def _bump_versions(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction bumps, once, as it commits
    session.flush()
    post_ids = session.info.pop(_CHANGED, set()) - session.info.pop(_RAISED, set())
    if post_ids:
        session.connection().execute(_BUMP, [{"post_id": pid} for pid in sorted(post_ids)])


@event.listens_for(Session, "after_transaction_end")
def _forget_on_end(session: Session, transaction) -> None:
    """Forget the notes when the transaction ends (a savepoint's stay: a spare bump is fine)."""
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)
        session.info.pop(_RAISED, None)


class ByteLRU:
    """A thread-safe LRU mapping holding at most `max_bytes` of values (bytes, or any value
    whose size the caller gives)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> Any:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: Hashable, value: Any, size: int | None = None) -> None:
        size = len(value) if size is None else size
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self._items[key] = (value, size)
            self.size += size
            while self.size > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self.size -= dropped


def init_app(app: Flask) -> None:
    app.extensions["thread_cache"] = ByteLRU(app.config["THREAD_CACHE_BYTES"])


def memo() -> ByteLRU:
    return current_app.extensions["thread_cache"]


def remembered(key: Hashable, render: Callable[[], T],
               size_of: Callable[[T], int] = len) -> T:
    """Return the page filed under `key`, rendering (and keeping) it on a miss.

    The value is shared by every request that hits it: callers must not change it.
    """
    pages = memo()
    value = pages.get(key)
    if value is None:
        value = render()
        pages.put(key, value, size_of(value))
    return value
