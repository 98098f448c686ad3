"""The posts API: /api/v1/posts and /api/v1/comment-counts."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

from blog.api.blueprint import Blueprint
from blog.api.caching import public_cache
from blog.api.pagination import SortKey, datetime_key, paginate
from blog.auth.security import current_user_or_none, login_required_api, roles_required
from blog.extensions import db, limiter
from blog.models import Post, Role
from blog.posts.schemas import (
    PostDetailSchema,
    PostListQuerySchema,
    PostPageSchema,
    PostPatchSchema,
    PostWriteSchema,
    RelatedListSchema,
    RelatedQuerySchema,
    ThreadSchema,
)
from blog.services import posts, related, threads

bp = Blueprint("posts_api", __name__, url_prefix="/api/v1", description="Posts")

POST_ORDER = (datetime_key(Post.published_at, descending=True), SortKey(Post.id, descending=True))


@bp.route("/posts", methods=["GET"])
@public_cache
@bp.arguments(PostListQuerySchema, location="query")
@bp.response(200, PostPageSchema)
def list_posts(query):
    """List published posts, newest first."""
    statement = posts.published_posts(tag_slug=query["tag"], author_id=query["author"],
                                      url=query["url"])
    page = paginate(
        db.session, statement, POST_ORDER, limit=query["limit"], cursor=query["cursor"],
        values_of=lambda post: (post.published_at, post.id),
    )
    return page


@bp.route("/posts/<slug>", methods=["GET"])
@public_cache
@bp.response(200, PostDetailSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_post(slug):
    """Show one post with its body and related posts."""
    post = posts.get_visible_post(slug, current_user_or_none())
    post.related_links = related.related_posts(post, limit=5)
    return post


@bp.route("/posts/<slug>/related", methods=["GET"])
@public_cache
@bp.arguments(RelatedQuerySchema, location="query")
@bp.response(200, RelatedListSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_related(query, slug):
    """List the posts most related to this one, best first."""
    return {"items": related.related_by_slug(slug, current_user_or_none(), query["limit"])}


@bp.route("/posts", methods=["POST"])
@roles_required(Role.AUTHOR)
@bp.arguments(PostWriteSchema)
@bp.response(201, PostDetailSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
def create_post(data):
    """Write a post (authors and admins)."""
    return posts.create_post(current_user, data)


@bp.route("/posts/<slug>", methods=["PATCH"])
@login_required_api
@bp.arguments(PostPatchSchema)
@bp.response(200, PostDetailSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def update_post(data, slug):
    """Change a post: its author and admins anything, moderators `comments_open`."""
    post = posts.get_visible_post(slug, current_user)
    return posts.update_post(post, current_user, data)


def embed_threads_limit() -> str:
    return current_app.config["RATELIMIT_EMBED_THREADS"]


def from_embedding_site() -> bool:
    """Tell whether the request comes from a page of a site that embeds the comments."""
    return request.headers.get("Origin") in current_app.config["EMBED_ORIGINS"]


@bp.route("/threads", methods=["PUT"])
@limiter.limit(embed_threads_limit, exempt_when=lambda: current_user_or_none() is not None)
@bp.arguments(ThreadSchema)
@bp.response(200, PostDetailSchema)
@bp.alt_response(201, schema=PostDetailSchema, description="The thread was made now")
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def put_thread(data):
    """Give the thread (post) of a host page's URL, making it when it does not exist yet.

    Authors and admins may always make one; anyone else only when `EMBED_AUTO_CREATE` is on
    and the request's Origin is one of `EMBED_ORIGINS`.
    """
    post, created = threads.ensure_thread(
        data["url"], data["title"], current_user_or_none(),
        embed_origin_allowed=from_embedding_site(),
        auto_create=current_app.config["EMBED_AUTO_CREATE"])
    post.related_links = related.related_posts(post, limit=5)
    return post, 201 if created else 200
