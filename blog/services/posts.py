"""Posts: writing, publishing and the queries that list them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, select, true
from sqlalchemy.orm import lazyload, selectinload

from blog.extensions import db
from blog.models import Post, PostStatus, Role, Tag, User, utcnow
from blog.services import events, related
from blog.services.canonical_urls import normalise_url
from blog.services.errors import Conflict, Forbidden, NotFound
from blog.services.sanitize import clean_post_html, markup_free_text
from blog.services.slugs import slugify, unique_slug
from blog.services.sql import HotRead

EDITABLE_FIELDS = ("title", "summary", "body_html", "status", "comments_open", "canonical_url")
#: Changes to these fields change a post's related posts and the lists it appears in.
RELATED_FIELDS = frozenset({"title", "summary", "body_html", "status", "tags"})


def published_posts(tag_slug: str | None = None, author_id: int | None = None,
                    url: str | None = None) -> Select:
    """Return a select() of published posts, optionally of one tag, one author or one URL."""
    statement = (
        select(Post).where(Post.status == PostStatus.PUBLISHED).options(selectinload(Post.tags))
    )
    if tag_slug:
        statement = statement.where(Post.tags.any(Tag.slug == tag_slug))
    if author_id is not None:
        statement = statement.where(Post.author_id == author_id)
    if url is not None:
        statement = statement.where(Post.canonical_url == normalise_url(url))
    return statement


def can_see_post(post: Post, viewer: User | None) -> bool:
    """Published posts are public; drafts only to their author and admins."""
    return may_see(post.status, post.author_id, viewer)


def may_see(status: str, author_id: int, viewer: User | None) -> bool:
    """`can_see_post` for a post known only by its status and author (no entity loaded)."""
    if status == PostStatus.PUBLISHED:
        return True
    return viewer is not None and (viewer.id == author_id or viewer.has_role(Role.ADMIN))


def can_edit_post(post: Post, user: User) -> bool:
    return user.id == post.author_id and user.has_role(Role.AUTHOR) or user.has_role(Role.ADMIN)


_POST_BY_SLUG = select(Post).where(Post.slug == bindparam("slug"))
_POST_ALONE_BY_SLUG = select(Post).where(Post.slug == bindparam("slug")).options(
    lazyload(Post.author))


def get_visible_post(slug: str, viewer: User | None, *, with_author: bool = True) -> Post:
    """Return the post named `slug` if `viewer` may see it; raise NotFound otherwise.

    `with_author=False` leaves the author to be loaded when used, for views that write to the
    post (a comment) and do not show it.
    """
    if with_author:
        post = db.session.scalar(_POST_BY_SLUG, {"slug": slug})
    else:
        post = db.session.scalar(_POST_ALONE_BY_SLUG, {"slug": slug})
    if post is None or not can_see_post(post, viewer):
        raise NotFound("No such post.")
    return post


class PostRef(NamedTuple):
    """What an anonymous thread needs of a published post: its id and its comments' version."""

    id: int
    comments_version: int
    author_id: int | None


_posts = Post.__table__.c
#: The hot path of every anonymous thread read: compiled once, run by the driver.
_PUBLIC_REF = HotRead(
    select(_posts.id, _posts.comments_version, _posts.author_id)
    .where(_posts.slug == bindparam("slug"), _posts.status == PostStatus.PUBLISHED.value)
)


def public_post_ref(slug: str) -> PostRef:
    """Return the published post `slug` as a PostRef (one indexed lookup); NotFound otherwise.

    Runs on a pooled connection of its own, outside the session: a memo hit then needs no
    session at all (nothing to begin, commit or close).
    """
    rows = _PUBLIC_REF.rows({"slug": slug})
    if not rows:
        raise NotFound("No such post.")
    return PostRef(*rows[0])


_users = User.__table__.c
#: Everything an anonymous article page is made of that has no version of its own: the post's
#: row (`updated_at` moves with every edit) and its author's name. `updated_at` comes back as
#: the driver gives it: it is only compared, as part of a memo key.
_PUBLIC_ARTICLE_VERSION = HotRead(
    select(_posts.id, _posts.updated_at, _posts.comments_version, _users.display_name)
    .join_from(Post.__table__, User.__table__, _posts.author_id == _users.id)
    .where(_posts.slug == bindparam("slug"), _posts.status == PostStatus.PUBLISHED.value)
)


def public_article_version(slug: str) -> tuple:
    """Return (id, updated_at, comments_version, author name) of the published post `slug`,
    in one indexed lookup outside the session; NotFound otherwise."""
    rows = _PUBLIC_ARTICLE_VERSION.rows({"slug": slug})
    if not rows:
        raise NotFound("No such post.")
    return tuple(rows[0])


def get_tag(slug: str) -> Tag:
    tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        raise NotFound("No such tag.")
    return tag


def tags_named(names: Iterable[str]) -> list[Tag]:
    """Return the tags with these names, creating the missing ones (names are kept as written)."""
    wanted: dict[str, str] = {}
    for name in names:
        clean = " ".join(name.split())
        if clean:
            wanted.setdefault(slugify(clean, fallback="tag"), clean)
    if not wanted:
        return []
    existing = {
        tag.slug: tag for tag in db.session.scalars(select(Tag).where(Tag.slug.in_(wanted)))
    }
    for slug, name in wanted.items():
        if slug not in existing:
            existing[slug] = Tag(name=name, slug=slug)
            db.session.add(existing[slug])
    return [existing[slug] for slug in wanted]


def new_post_slug(title: str) -> str:
    """A unique slug from the words of `title` ("<b>Budget</b> day" -> "budget-day")."""
    base = slugify(markup_free_text(title))
    taken = set(db.session.scalars(
        select(Post.slug).where((Post.slug == base) | Post.slug.like(f"{base}-%"))
    ))
    return unique_slug(base, taken)


def create_post(author: User, data: dict[str, Any]) -> Post:
    """Write a new post by `author` (an author or admin) from validated `data`."""
    if not author.has_role(Role.AUTHOR):
        raise Forbidden("Only authors write posts.")
    post = Post(author=author, slug=new_post_slug(data["title"]), title=data["title"].strip())
    db.session.add(post)
    published = _apply_changes(post, {"status": PostStatus.DRAFT, **data})
    db.session.flush()
    related.refresh_post(post)
    if published:
        events.post_published(post)
    return post


def update_post(post: Post, actor: User, changes: dict[str, Any]) -> Post:
    """Change a post; its author and admins may change anything, moderators `comments_open`."""
    if not can_edit_post(post, actor):
        moderator_only = set(changes) <= {"comments_open"} and actor.has_role(Role.MODERATOR)
        if not moderator_only:
            raise Forbidden("You may not change this post.")
    published = _apply_changes(post, changes)
    db.session.flush()
    if RELATED_FIELDS & set(changes):
        related.refresh_post(post)
    if published:
        events.post_published(post)
    return post


def delete_post(post: Post, actor: User) -> None:
    """Delete a post (its author or an admin); it leaves every related list at once."""
    if not can_edit_post(post, actor):
        raise Forbidden("You may not delete this post.")
    related.forget_post(post)
    db.session.delete(post)
    db.session.flush()


def _apply_changes(post: Post, changes: dict[str, Any]) -> bool:
    """Apply `changes`; tell whether the post became published for the first time."""
    for name in EDITABLE_FIELDS:
        if name in changes:
            setattr(post, name, _clean_field(name, changes[name]))
    if post.canonical_url is not None and "canonical_url" in changes:
        _refuse_taken_url(post)
    if "tags" in changes:
        post.tags = sorted(tags_named(changes["tags"]), key=lambda tag: tag.name)
        post.updated_at = utcnow()  # tags live in another table: say the post changed
    if post.status == PostStatus.PUBLISHED and post.published_at is None:
        post.published_at = utcnow()
        return True
    return False


def _refuse_taken_url(post: Post) -> None:
    with db.session.no_autoflush:
        taken = db.session.scalar(select(Post.id).where(
            Post.canonical_url == post.canonical_url, Post.id != post.id if post.id else true()))
    if taken is not None:
        raise Conflict("Another post already has this canonical URL.")


def _clean_field(name: str, value: Any) -> Any:
    if name == "body_html":
        return clean_post_html(value)
    if name in ("title", "summary"):
        return value.strip()
    if name == "status":
        return str(PostStatus(value))
    if name == "canonical_url" and value is not None:
        return normalise_url(value, "canonical_url")
    return value
