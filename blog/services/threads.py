"""Threads keyed by the host page: a post found (or made) by its article's canonical URL."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from blog.extensions import db
from blog.models import Post, PostStatus, Role, User, utcnow
from blog.services import related
from blog.services.canonical_urls import normalise_url
from blog.services.errors import Forbidden
from blog.services.posts import new_post_slug

#: The account that authors threads created by readers' visits (EMBED_AUTO_CREATE).
SITE_ISSUER, SITE_SUBJECT = "system", "embed"


def ensure_thread(url: str, title: str, actor: User | None, *, embed_origin_allowed: bool,
                  auto_create: bool) -> tuple[Post, bool]:
    """Return the thread for `url` and whether it was made now.

    An author or admin may always create it; anyone else only when the site lets readers'
    visits create threads (`auto_create`) and the request comes from one of its pages.
    A thread created here is a published, comments-open post with an empty body. It sends no
    "new post" notifications: the host site announces its own articles.
    """
    canonical = normalise_url(url)
    post = _post_at(canonical)
    if post is not None:
        return post, False
    staff = actor is not None and actor.has_role(Role.AUTHOR)
    if not staff and not (auto_create and embed_origin_allowed):
        raise Forbidden("Only authors and admins create threads here.")
    author = actor if staff else site_account()
    post = Post(author=author, slug=new_post_slug(title), title=title.strip(), summary="",
                body_html="", canonical_url=canonical, status=PostStatus.PUBLISHED.value,
                comments_open=True, published_at=utcnow())
    try:
        with db.session.begin_nested():  # two first visits at once: one makes it, both get it
            db.session.add(post)
    except IntegrityError:
        return _post_at(canonical), False
    related.refresh_post(post)
    return post, True


def _post_at(canonical_url: str) -> Post | None:
    return db.session.scalar(select(Post).where(Post.canonical_url == canonical_url))


def site_account() -> User:
    """Return (making it on first use) the account that authors automatically created threads."""
    user = db.session.scalar(select(User).where(
        User.external_issuer == SITE_ISSUER, User.external_subject == SITE_SUBJECT))
    if user is None:
        user = User(display_name="The newsroom", role=Role.AUTHOR.value, password_hash="",
                    external_issuer=SITE_ISSUER, external_subject=SITE_SUBJECT)
        db.session.add(user)
        db.session.flush()
    return user
