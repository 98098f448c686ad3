"""Reading comment threads: one page of top-level comments with their replies, and counts.

A page costs a constant number of queries whatever its size: the page of top-level comments
(an indexed range scan in sort order), all replies of those threads (by `thread_id`), their
authors, and for a signed-in reader their votes. The rule "only approved comments are public" is
written here once and both the API and the article page use it.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import defer

from blog.api.pagination import Page, SortKey, datetime_key, paginate
from blog.extensions import db
from blog.models import Comment, CommentStatus, Post, PostStatus, Role, User
from blog.services.canonical_urls import normalise_url
from blog.services.comments import is_shadow_hidden, my_votes
from blog.services.errors import ValidationFailed
from blog.services.posts import PostRef
from blog.services.sql import HotRead

SORTS: dict[str, tuple[SortKey, ...]] = {
    "oldest": (datetime_key(Comment.created_at), SortKey(Comment.id, from_json=int)),
    "newest": (datetime_key(Comment.created_at, descending=True),
               SortKey(Comment.id, descending=True, from_json=int)),
    "top": (SortKey(Comment.score, descending=True, from_json=int),
            SortKey(Comment.id, from_json=int)),
}
MAX_COUNT_SLUGS = 100
_posts = Post.__table__.c


@functools.lru_cache(maxsize=MAX_COUNT_SLUGS)
def _counts_statement(size: int) -> HotRead:
    """Return the counts query for `size` slugs, built once per size.

    One bound value per slug keeps the SQL the same for a given number of slugs, so it comes
    from the compiled cache as is; an expanding `IN` is rewritten on every execution. The
    status is returned, not filtered on: with `status = ?` in the WHERE clause, SQLite without
    ANALYZE statistics walks the index on status (every published post) instead of the
    unique one on slug.
    """
    return HotRead(select(_posts.slug, _posts.comment_count, _posts.status)
                   .where(_posts.slug.in_([bindparam(f"slug_{i}") for i in range(size)])))


def listed_status(comment: Comment, viewer: User | None) -> str | None:
    """Return the status a thread shows `comment` with to `viewer`, or None if it is not shown.

    Everyone sees approved comments; authors also see their own pending ones, and a
    shadow-banned author sees their spam as if it were approved.
    """
    if comment.status == CommentStatus.APPROVED:
        return CommentStatus.APPROVED.value
    if viewer is not None and comment.author_id == viewer.id:
        if comment.status == CommentStatus.PENDING:
            return CommentStatus.PENDING.value
        if is_shadow_hidden(comment):
            return CommentStatus.APPROVED.value
    return None


def _candidates(viewer: User | None, *, replies: bool = False):
    """Rows that may appear: shown ones, and hidden ones that may stand as placeholders.

    A hidden comment with approved replies stays as a placeholder; among replies, deleted ones
    are read too, since a placeholder may be needed for replies further down.
    """
    placeholders = [CommentStatus.APPROVED, CommentStatus.DELETED] if replies else [
        CommentStatus.APPROVED]
    shown = or_(Comment.status.in_(placeholders), Comment.reply_count > 0)
    if viewer is None:
        return shown
    own = and_(Comment.author_id == viewer.id,
               Comment.status.in_([CommentStatus.PENDING, CommentStatus.SPAM]))
    return or_(shown, own)


def thread_page(post: Post | PostRef, viewer: User | None, *, sort: str = "oldest",
                limit: int = 20, cursor: str | None = None) -> Page:
    """Return one page of `post`'s thread as `viewer` sees it: nested dicts, newest cursor."""
    keys = SORTS[sort]
    statement = (
        select(Comment)
        .where(Comment.post_id == post.id, Comment.parent_id.is_(None), _candidates(viewer))
        .options(defer(Comment.body), defer(Comment.idempotency_key))
    )
    page = paginate(db.session, statement, keys, limit=limit, cursor=cursor,
                    values_of=lambda c: (c.created_at if sort != "top" else c.score, c.id))
    replies = _replies_of([c.id for c in page.items], viewer)
    everything = [*page.items, *replies]
    authors = _authors(c.author_id for c in everything)
    votes = my_votes(viewer, [c.id for c in everything if c.status == CommentStatus.APPROVED])
    badges = _badges(authors, post.author_id)
    nodes = _build_tree(page.items, replies, viewer, authors, votes, badges)
    return Page(nodes, page.next_cursor)


def _replies_of(thread_ids: list[int], viewer: User | None) -> list[Comment]:
    if not thread_ids:
        return []
    statement = (
        select(Comment)
        .where(Comment.thread_id.in_(thread_ids), _candidates(viewer, replies=True))
        .options(defer(Comment.body), defer(Comment.idempotency_key))
        .order_by(Comment.created_at, Comment.id)
    )
    return list(db.session.scalars(statement))


def _authors(author_ids: Iterable[int | None]) -> dict[int, tuple[str, str]]:
    """Return each author's display name and role, by id."""
    ids = {author_id for author_id in author_ids if author_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(
        select(User.id, User.display_name, User.role).where(User.id.in_(ids)))
    return {user_id: (name, role) for user_id, name, role in rows}


STAFF_ROLES = frozenset({Role.MODERATOR.value, Role.ADMIN.value})


def _badges(authors: dict[int, tuple[str, str]], post_author_id: int | None) -> dict[int, str]:
    """Mark the post's own author ("author") and the site's staff ("staff") in its thread."""
    badges = {user_id: "staff" for user_id, (_, role) in authors.items() if role in STAFF_ROLES}
    if post_author_id in authors:
        badges[post_author_id] = "author"
    return badges


def _build_tree(top: list[Comment], replies: list[Comment], viewer: User | None,
                authors: dict[int, tuple[str, str]], votes: dict[int, int],
                badges: dict[int, str]) -> list[dict]:
    """Nest replies under their parents; keep hidden comments only as placeholders of replies."""
    nodes = {c.id: _node(c, listed_status(c, viewer), authors, votes, viewer, badges)
             for c in (*top, *replies)}
    for reply in replies:
        parent = nodes.get(reply.parent_id)
        if parent is not None:
            parent["replies"].append(nodes[reply.id])
    return [node for node in (nodes[c.id] for c in top) if _prune(node)]


def _prune(node: dict) -> bool:
    """Drop placeholders without shown replies below them; return whether `node` stays."""
    node["replies"] = [child for child in node["replies"] if _prune(child)]
    return not node["deleted"] or bool(node["replies"])


def _node(comment: Comment, status: str | None, authors: dict[int, tuple[str, str]],
          votes: dict[int, int], viewer: User | None, badges: dict[int, str]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "created_at": comment.created_at,
        "reply_count": comment.reply_count,
        "replies": [],
    }
    if status is None:
        node.update(deleted=True, status=CommentStatus.DELETED.value, author=None,
                    edited_at=None, score=0)
        return node
    author = None
    if comment.author_id is not None:
        name = authors.get(comment.author_id, ("", ""))[0]
        author = {"id": comment.author_id, "display_name": name,
                  "badge": badges.get(comment.author_id)}
    node.update(
        deleted=False, status=status, author=author, body_html=comment.body_html,
        edited_at=comment.edited_at, score=comment.score,
    )
    if viewer is not None:
        node["my_vote"] = votes.get(comment.id, 0)
    return node


def thread_version(post: Post) -> str:
    """Return a key that changes whenever anything shown in `post`'s thread changes.

    Every transaction that changes one of its comments raises `comments_version`
    (blog.services.thread_cache), so the key is read with the post's own row.
    """
    return f"{post.id}:{post.comments_version}"


def etag_for(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def comment_counts(slugs: list[str]) -> dict[str, int]:
    """Return approved-comment counts for these slugs in one query (0 for unknown posts)."""
    wanted = list(dict.fromkeys(slugs))
    if len(wanted) > MAX_COUNT_SLUGS:
        raise ValidationFailed({"post": [f"At most {MAX_COUNT_SLUGS} posts at once."]})
    if not wanted:
        return {}
    parameters = {f"slug_{i}": slug for i, slug in enumerate(wanted)}
    rows = _counts_statement(len(wanted)).rows(parameters)  # outside the session: nothing to end
    counts = {slug: count for slug, count, status in rows if status == PostStatus.PUBLISHED}
    return {slug: counts.get(slug, 0) for slug in wanted}


def comment_counts_by_url(urls: list[str]) -> dict[str, int]:
    """Return approved-comment counts keyed by each URL as sent (0 where no thread exists).

    Addresses are matched after normalisation (blog.services.canonical_urls), in one query.
    """
    wanted = list(dict.fromkeys(urls))
    if len(wanted) > MAX_COUNT_SLUGS:
        raise ValidationFailed({"url": [f"At most {MAX_COUNT_SLUGS} addresses at once."]})
    if not wanted:
        return {}
    canonical = {url: normalise_url(url) for url in wanted}
    rows = db.session.execute(
        select(_posts.canonical_url, _posts.comment_count)
        .where(_posts.canonical_url.in_(set(canonical.values())),
               _posts.status == PostStatus.PUBLISHED.value))
    counts = dict(rows.all())
    return {url: counts.get(canonical[url], 0) for url in wanted}
