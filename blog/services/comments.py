"""Comments: who may see them, and writing, editing, deleting, voting and flagging them.

Listing a thread lives in blog.services.comment_threads. Every status change goes through
blog.services.comment_status.change_status, so the approved counters never drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, exc, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import make_transient_to_detached

from blog.extensions import db
from blog.models import (
    Comment,
    CommentFlag,
    CommentStatus,
    CommentVote,
    Post,
    User,
    utcnow,
)
from blog.services import events, moderation, sql, thread_cache
from blog.services.comment_status import change_status, count_new_comment, set_first_status
from blog.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from blog.services.moderation_rules import text_key
from blog.services.sanitize import render_comment

MAX_BODY_LENGTH = 10_000
SHADOW_BAN_SIGNAL = "shadow_ban"
#: Statuses an author may still edit (a removed or held-for-review comment is out of their hands).
EDITABLE_STATUSES = frozenset({CommentStatus.APPROVED, CommentStatus.PENDING})


# --- Who sees what ----------------------------------------------------------------------------

def is_shadow_hidden(comment: Comment) -> bool:
    """Tell whether `comment` is spam from a shadow-banned author (who must not notice)."""
    return comment.status == CommentStatus.SPAM and SHADOW_BAN_SIGNAL in (comment.signals or [])


def status_shown_to(comment: Comment, viewer: User | None) -> str | None:
    """Return the status `viewer` sees `comment` with, or None when it is hidden from them."""
    if comment.status == CommentStatus.APPROVED:
        return CommentStatus.APPROVED.value
    if viewer is None:
        return None
    if viewer.is_moderator:
        return comment.status
    if comment.author_id == viewer.id and comment.status != CommentStatus.DELETED:
        return CommentStatus.APPROVED.value if is_shadow_hidden(comment) else comment.status
    return None


def get_comment(comment_id: int, viewer: User | None) -> Comment:
    """Return the comment if `viewer` may see it; raise NotFound otherwise."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or status_shown_to(comment, viewer) is None:
        raise NotFound("No such comment.")
    return comment


# --- Writing ----------------------------------------------------------------------------------

def check_body(body: str) -> str:
    """Return `body` trimmed; raise ValidationFailed when empty or too long."""
    body = (body or "").strip()
    if not body:
        raise ValidationFailed({"body": ["Write something first."]})
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationFailed({"body": [f"At most {MAX_BODY_LENGTH} characters."]})
    return body


def create_comment(post: Post, author: User, body: str, parent_id: int | None = None,
                   idempotency_key: str | None = None, nudge_token: str | None = None) -> Comment:
    """Write a comment (or a reply) by `author` on `post`; the pipeline decides its status.

    With an `idempotency_key` that `author` used before for the same comment, return that
    comment instead of writing a second one. With the toxicity nudge on, a comment the score
    would hold is refused once (ToxicityNudge); `nudge_token` from that refusal sends it on.
    """
    body = check_body(body)
    if idempotency_key:
        earlier = find_by_idempotency_key(author, idempotency_key)
        if earlier is not None:
            return _replayed(earlier, post, body)
    if not post.comments_open:
        raise Forbidden("Comments on this post are closed.")
    comment = _new_comment(post, author, body, idempotency_key or None)
    standing = moderation.commenter_standing(author.id, post.id, text_key=comment.text_key)
    moderation.ensure_may_comment(author, standing)
    _attach(comment, _reply_target(post, author, parent_id))
    # Decided before it is written: every read comes before the first write, so on SQLite the
    # write lock is held only for the writes (blog.database.write_lock_at_first_write).
    assessment = moderation.assess_comment(comment, standing=standing)
    moderation.nudge_if_toxic(comment, assessment, author, nudge_token)
    comment.signals = list(assessment.signals)
    set_first_status(comment, assessment.status)
    if not _insert(comment):
        return _replayed(find_by_idempotency_key(author, idempotency_key), post, body)
    count_new_comment(comment)
    events.comment_created(comment)
    return comment


def find_by_idempotency_key(author: User, key: str) -> Comment | None:
    return db.session.scalar(
        select(Comment).where(Comment.author_id == author.id, Comment.idempotency_key == key)
    )


def _replayed(earlier: Comment, post: Post, body: str) -> Comment:
    """Return the comment an earlier request made with the same key, if it was the same request."""
    same = earlier.post_id == post.id and (earlier.body == body or earlier.deleted_at)
    if not same:
        raise ValidationFailed(
            {"Idempotency-Key": ["This key was already used for a different comment."]}
        )
    return earlier


def _new_comment(post: Post, author: User, body: str, idempotency_key: str | None) -> Comment:
    """Return a new top-level comment with every column set (`_insert` writes them all),
    `text_key` included (the model's validator on `body` does not run here)."""
    now = utcnow()
    return sql.new_transient(Comment, {
        "post_id": post.id, "author_id": author.id, "parent_id": None, "thread_id": None,
        "depth": 0, "body": body, "body_html": render_comment(body),
        "status": CommentStatus.PENDING.value, "signals": [], "score": 0, "toxicity": None,
        "reply_count": 0, "flag_count": 0, "text_key": text_key(body),
        "idempotency_key": idempotency_key,
        "created_at": now, "edited_at": None, "updated_at": now, "deleted_at": None,
    })


_comments_table = Comment.__table__
_INSERT_COMMENT = sql.DriverStatement(insert(_comments_table), returning_id=True)
_WRITTEN_COLUMNS = tuple(column.key for column in _comments_table.c
                         if column is not _comments_table.c.id)


def _insert(comment: Comment) -> bool:
    """Insert `comment`; return False when a concurrent request took its idempotency key.

    One INSERT statement, and the comment joins the session as a row it has loaded: the
    unit of work's flush costs more than the INSERT itself on the busiest write path there is.
    So the flush hook does not see it: the thread's version is raised here.
    """
    values = {key: comment.__dict__[key] for key in _WRITTEN_COLUMNS}
    if comment.idempotency_key is None:  # nothing to race for: no savepoint needed
        comment.id = _insert_row(values)
    else:
        try:
            with db.session.begin_nested():
                comment.id = _insert_row(values)
        except exc.IntegrityError:
            return False
    make_transient_to_detached(comment)
    db.session.add(comment)
    thread_cache.note_change(db.session, comment.post_id)
    return True


def _insert_row(values: dict) -> int:
    return _INSERT_COMMENT.inserted_id(values)


def _reply_target(post: Post, author: User, parent_id: int | None) -> Comment | None:
    """Return the comment being answered; it must be one `author` can see, on the same post."""
    if parent_id is None:
        return None
    parent = db.session.get(Comment, parent_id)
    visible = parent is not None and status_shown_to(parent, author) not in (
        None, CommentStatus.DELETED.value
    )
    if not visible or parent.post_id != post.id:
        raise ValidationFailed({"parent_id": ["No such comment on this post."]})
    return parent


def _attach(comment: Comment, parent: Comment | None) -> None:
    """Hang `comment` under `parent`; past the depth cap it becomes the parent's sibling."""
    max_depth = current_app.config["COMMENT_MAX_DEPTH"]
    while parent is not None and parent.depth >= max_depth:
        parent = parent.parent
    if parent is None:
        return
    comment.parent_id = parent.id
    comment.thread_id = parent.thread_id or parent.id
    comment.depth = parent.depth + 1


def _settle_status(comment: Comment, *, is_edit: bool) -> None:
    assessment = moderation.assess_comment(comment, is_edit=is_edit)
    comment.signals = list(assessment.signals)
    change_status(comment, assessment.status)


def edit_seconds_left(created_at: datetime) -> float:
    """Seconds left of the author's edit window for a comment made at `created_at` (<= 0: shut)."""
    window = timedelta(seconds=current_app.config["COMMENT_EDIT_WINDOW_SECONDS"])
    return (created_at + window - utcnow()).total_seconds()


def can_edit(comment: Comment, user: User) -> bool:
    """The author inside the edit window; moderators always."""
    if user.is_moderator:
        return True
    return comment.author_id == user.id and edit_seconds_left(comment.created_at) >= 0


def edit_comment(comment: Comment, editor: User, body: str) -> Comment:
    """Change the text; an author's edit goes through the moderation decision again."""
    if not can_edit(comment, editor):
        raise Forbidden("Comments can be edited by their author for a short while only.")
    if comment.status == CommentStatus.DELETED:
        raise Conflict("This comment was deleted.")
    by_author = comment.author_id == editor.id
    if by_author and comment.status not in EDITABLE_STATUSES and not is_shadow_hidden(comment):
        raise Conflict("This comment is with the moderators and can no longer be edited.")
    body = check_body(body)
    if body == comment.body:
        return comment
    comment.body = body
    comment.body_html = render_comment(body)
    comment.edited_at = utcnow()
    db.session.flush()
    if by_author:
        _settle_status(comment, is_edit=True)
    return comment


def can_delete(comment: Comment, user: User) -> bool:
    return comment.author_id == user.id or user.is_moderator


def delete_comment(comment: Comment, actor: User) -> None:
    """Soft-delete: the row stays (its replies keep their place), its text goes."""
    if not can_delete(comment, actor):
        raise Forbidden("Only the author or a moderator may delete this comment.")
    if comment.status == CommentStatus.DELETED:
        return
    comment.body = ""
    comment.body_html = ""
    comment.deleted_at = utcnow()
    change_status(comment, CommentStatus.DELETED)


# --- Votes and flags --------------------------------------------------------------------------

@dataclass
class VoteResult:
    score: int
    my_vote: int


def _require_public(comment: Comment) -> None:
    if comment.status != CommentStatus.APPROVED or is_shadow_hidden(comment):
        raise Conflict("Only published comments take votes and flags.")


def vote(comment: Comment, user: User, value: int) -> VoteResult:
    """Set `user`'s vote (1, -1, or 0 to withdraw); the score moves by an atomic delta."""
    if comment.author_id == user.id:
        raise Forbidden("You cannot vote on your own comment.")
    _require_public(comment)
    old = _store_vote(comment.id, user.id, value)
    thread_cache.note_change(db.session, comment.post_id)
    score = db.session.scalar(
        update(Comment).where(Comment.id == comment.id)
        .values(score=Comment.score + (value - (old or 0)))
        .returning(Comment.score)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return VoteResult(score=score, my_vote=value)


def _store_vote(comment_id: int, user_id: int, value: int, attempts: int = 5) -> int | None:
    """Write the user's vote row and return the vote it replaced, under concurrent votes.

    The user's row is locked while it is read, so their concurrent votes queue up. When there is
    none, an insert races with their other requests: a lost insert means another request wrote
    (or, by the time we look again, deleted) the row, so we look again.
    """
    where = (CommentVote.comment_id == comment_id, CommentVote.user_id == user_id)
    for _ in range(attempts):
        if value == 0:  # what was deleted is what the score loses, even a row that just appeared
            return db.session.scalar(delete(CommentVote).where(*where).returning(CommentVote.value))
        old = _locked_vote(comment_id, user_id)
        if old is not None:
            db.session.execute(update(CommentVote).where(*where).values(value=value))
            return old
        if _insert_vote(comment_id, user_id, value):
            return None
    raise Conflict("Your votes on this comment raced each other; try again.")


def _locked_vote(comment_id: int, user_id: int) -> int | None:
    """Return the user's current vote, locking its row so their concurrent votes queue up."""
    return db.session.scalar(
        select(CommentVote.value)
        .where(CommentVote.comment_id == comment_id, CommentVote.user_id == user_id)
        .with_for_update()
    )


def _insert_vote(comment_id: int, user_id: int, value: int) -> bool:
    """Insert the vote row; return False when a concurrent request of the same user won."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(CommentVote)
        .values(comment_id=comment_id, user_id=user_id, value=value, created_at=utcnow())
        .on_conflict_do_nothing()
        .returning(CommentVote.user_id)
    )
    return db.session.execute(statement).first() is not None


def my_votes(user: User | None, comment_ids: list[int]) -> dict[int, int]:
    """Return `user`'s votes on these comments, by comment id."""
    if user is None or not comment_ids:
        return {}
    rows = db.session.execute(
        select(CommentVote.comment_id, CommentVote.value)
        .where(CommentVote.user_id == user.id, CommentVote.comment_id.in_(comment_ids))
    )
    return dict(rows.all())


def flag_comment(comment: Comment, user: User, reason: str, note: str = "") -> CommentFlag | None:
    """Record `user`'s flag once; later flags by the same user change nothing.

    Returns the user's flag (None for a flag on one's own comment, which is not recorded).
    """
    if comment.author_id == user.id:
        return None
    _require_public(comment)
    existing = _flag_of(comment, user)
    if existing is not None:
        return existing
    flag = CommentFlag(comment_id=comment.id, user_id=user.id, reason=reason, note=note)
    try:
        with db.session.begin_nested():
            db.session.add(flag)
            db.session.flush()
    except exc.IntegrityError:
        return _flag_of(comment, user)
    db.session.execute(
        update(Comment).where(Comment.id == comment.id)
        .values(flag_count=Comment.flag_count + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(comment, ["flag_count", "updated_at"])
    moderation.flag_recorded(comment)
    return flag


def _flag_of(comment: Comment, user: User) -> CommentFlag | None:
    return db.session.scalar(
        select(CommentFlag).where(CommentFlag.comment_id == comment.id,
                                  CommentFlag.user_id == user.id)
    )
