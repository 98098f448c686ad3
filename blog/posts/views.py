"""The reader-facing pages: the front page, tag pages and the article page."""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from flask import Blueprint, make_response, render_template, request, session

from blog.api.pagination import paginate
from blog.auth.security import current_user_or_none
from blog.extensions import db
from blog.posts.api import POST_ORDER
from blog.services import posts, related, thread_cache
from blog.services.errors import ValidationFailed

bp = Blueprint("posts", __name__)
PAGE_SIZE = 10


def _post_page(tag_slug: str | None = None):
    """Return a page of published posts; an unreadable cursor starts from the newest."""
    cursor = request.args.get("cursor")
    statement = posts.published_posts(tag_slug=tag_slug)
    try:
        return _paginate_posts(statement, cursor)
    except ValidationFailed:
        return _paginate_posts(statement, None)


def _paginate_posts(statement, cursor):
    return paginate(db.session, statement, POST_ORDER, limit=PAGE_SIZE, cursor=cursor,
                    values_of=lambda post: (post.published_at, post.id), with_previous=True)


@bp.route("/")
def front_page():
    """Show the latest posts."""
    return render_template("posts/list.html", page=_post_page(), tag=None)


@bp.route("/tags/<slug>")
def tag_page(slug):
    """Show one tag's latest posts."""
    tag = posts.get_tag(slug)
    return render_template("posts/list.html", page=_post_page(tag.slug), tag=tag)


@bp.route("/posts/<slug>")
def article(slug):
    """Show an article with its related posts and its thread."""
    viewer = current_user_or_none()
    if viewer is None and not session.get("_flashes"):
        page = _anonymous_article(slug)
        response = make_response(page.html)
        response.set_etag(page.etag)
        response.headers["Cache-Control"] = "public, no-cache"
    else:
        post = posts.get_visible_post(slug, viewer)
        response = make_response(_render_article(post, related.related_posts(post, limit=5)))
        response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(("Cookie", "Authorization"))
    return response.make_conditional(request)


class ArticlePage(NamedTuple):
    html: str
    etag: str


def _anonymous_article(slug: str) -> ArticlePage:
    """The page every anonymous reader of the post `slug` gets, from the memo of thread pages.

    The key holds all an anonymous page is made of: the post's row (`updated_at` moves with
    every edit, tag changes included), its comments' version (as the thread's own memo), the
    author's name, the related list as read now (it has no version: it is one index lookup),
    and the address asked for (the sort and cursor, the "Sign in" link's return path, the host
    of the feed links). Both reads run outside the session, and the versions are read before
    the page is rendered, so a page is never filed under a version older than what it shows.
    Anonymous pages hold no CSRF token and no flash (a session with a flash is rendered
    afresh), so one page serves them all. `public, no-cache` with an ETag lets browsers and
    proxies keep the page and revalidate it for a 304.
    """
    version = posts.public_article_version(slug)
    related_items = related.public_related_by_slug(slug, limit=5)
    key = ("article-page", *version, tuple(related_items), request.host_url, request.full_path)

    def render() -> ArticlePage:
        post = posts.get_visible_post(slug, None)
        html = _render_article(post, related_items)
        return ArticlePage(html, hashlib.blake2b(html.encode(), digest_size=16).hexdigest())

    return thread_cache.remembered(key, render, size_of=lambda page: len(page.html))


def _render_article(post, related_items) -> str:
    return render_template("posts/article.html", post=post, related=related_items)
