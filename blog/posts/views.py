"""The reader-facing pages: the front page, tag pages and the article page."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from blog.api.pagination import paginate
from blog.auth.security import current_user_or_none
from blog.extensions import db
from blog.posts.api import POST_ORDER
from blog.services import posts, related
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
    """Show an article with its related posts."""
    post = posts.get_visible_post(slug, current_user_or_none())
    return render_template(
        "posts/article.html", post=post, related=related.related_posts(post, limit=5)
    )
