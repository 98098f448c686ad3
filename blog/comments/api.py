"""The comments API: /api/v1/posts/{slug}/comments, /api/v1/comments/* and comment-counts."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_login import current_user

from blog.api.blueprint import Blueprint
from blog.api.caching import public_cache
from blog.auth.security import current_user_or_none, login_required_api
from blog.comments.schemas import (
    CommentCountsQuerySchema,
    CommentCreateSchema,
    CommentEditSchema,
    CommentListQuerySchema,
    CommentPageSchema,
    CommentSchema,
    FlagResultSchema,
    FlagSchema,
    VoteResultSchema,
    VoteSchema,
)
from blog.database import write_lock_at_first_write
from blog.extensions import limiter
from blog.models import Comment, CommentStatus, User
from blog.services import comment_threads, comments, posts, thread_cache
from blog.services.errors import ValidationFailed
from blog.urls import post_url

bp = Blueprint("comments_api", __name__, url_prefix="/api/v1", description="Comments")

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 100


# --- Posting limits ---------------------------------------------------------------------------

def comment_limit() -> str:
    return current_app.config["COMMENT_RATE_LIMIT"]


def commenter_key() -> str:
    """Limit per account (an address only as a fallback for the anonymous, who are refused)."""
    user_id = getattr(current_user, "id", None)
    return f"user:{user_id}" if user_id is not None else f"addr:{request.remote_addr}"


def idempotency_key() -> str | None:
    """Return the request's Idempotency-Key header (422 when it is too long)."""
    key = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise ValidationFailed({IDEMPOTENCY_HEADER: [f"At most {MAX_IDEMPOTENCY_KEY} characters."]})
    return key or None


def is_replay() -> bool:
    """A retry of a comment already made does not count against the limit."""
    key = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
    if not key or not current_user.is_authenticated:
        return False
    return comments.find_by_idempotency_key(current_user, key[:MAX_IDEMPOTENCY_KEY]) is not None


#: One budget for the API and the article page's form.
comment_rate_limit = limiter.shared_limit(
    comment_limit, scope="comment-post", key_func=commenter_key, exempt_when=is_replay
)


# --- Shapes -----------------------------------------------------------------------------------

def comment_view(comment: Comment, viewer: User | None) -> dict[str, Any]:
    """Return `comment` as `viewer` sees it (a shadow-banned author sees spam as approved)."""
    status = comments.status_shown_to(comment, viewer) or comment.status
    view: dict[str, Any] = {
        "id": comment.id, "parent_id": comment.parent_id, "depth": comment.depth,
        "post": comment.post, "url": f"{post_url(comment.post)}#comment-{comment.id}",
        "created_at": comment.created_at, "edited_at": comment.edited_at,
        "score": comment.score, "reply_count": comment.reply_count,
        "status": status, "deleted": comment.status == CommentStatus.DELETED,
        "author": comment.author, "body_html": comment.body_html,
    }
    if viewer is not None and (viewer.id == comment.author_id or viewer.is_moderator):
        view["body"] = comment.body
    return view


# --- Threads and counts -----------------------------------------------------------------------

@bp.route("/posts/<slug>/comments", methods=["GET"])
@bp.arguments(CommentListQuerySchema, location="query")
@bp.response(200, CommentPageSchema)
@bp.alt_response(304, description="Not modified (If-None-Match)")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def list_comments(query, slug):
    """List a post's top-level comments with their replies nested."""
    viewer = current_user_or_none()
    if viewer is None:
        return public_thread(slug, query)
    post = posts.get_visible_post(slug, viewer)
    page = comment_threads.thread_page(post, viewer, sort=query["sort"], limit=query["limit"],
                                       cursor=query["cursor"])
    return page, 200, {"Cache-Control": "private, no-cache", "Vary": "Cookie, Authorization"}


def public_thread(slug: str, query: dict):
    """Answer an anonymous reader from the memo, filed under the thread's current version."""
    ref = posts.public_post_ref(slug)
    key = (ref.id, ref.comments_version, query["sort"], query["cursor"], query["limit"])
    etag = comment_threads.etag_for(*key)
    headers = public_headers(etag)
    if request.if_none_match.contains(etag):
        return current_app.response_class(status=304, headers=headers)

    def render() -> bytes:
        page = comment_threads.thread_page(ref, None, sort=query["sort"], limit=query["limit"],
                                           cursor=query["cursor"])
        return current_app.json.response(CommentPageSchema().dump(page)).get_data()

    body = thread_cache.remembered(key, render)
    return current_app.response_class(body, status=200, headers=headers,
                                      mimetype="application/json")


def public_headers(etag: str) -> dict[str, str]:
    seconds = current_app.config["PUBLIC_CACHE_SECONDS"]
    return {"ETag": f'"{etag}"', "Cache-Control": f"public, max-age={seconds}",
            "Vary": "Cookie, Authorization"}


@bp.route("/comment-counts", methods=["GET"])
@public_cache
@bp.arguments(CommentCountsQuerySchema, location="query")
@bp.response(200)
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def comment_counts(query):
    """Count approved comments for up to 100 posts: `?post=a&post=b` gives `{"a": 3, "b": 0}`.

    `?url=` (repeated) names posts by canonical URL instead, keyed by the URL as sent.
    """
    counts = comment_threads.comment_counts(query["post"])
    if query["url"]:
        counts.update(comment_threads.comment_counts_by_url(query["url"]))
    return counts


# --- One comment ------------------------------------------------------------------------------

@bp.route("/posts/<slug>/comments", methods=["POST"])
@login_required_api
@comment_rate_limit
@bp.arguments(CommentCreateSchema)
@bp.response(201, CommentSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
@write_lock_at_first_write
def create_comment(data, slug):
    """Comment on a post, or reply with `parent_id`; an Idempotency-Key makes retries safe."""
    post = posts.get_visible_post(slug, current_user, with_author=False)
    comment = comments.create_comment(post, current_user, data["body"], data["parent_id"],
                                      idempotency_key(), nudge_token=data["nudge_token"])
    return comment_view(comment, current_user)


@bp.route("/comments/<int:comment_id>", methods=["GET"])
@bp.response(200, CommentSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_comment(comment_id):
    """Show one comment: approved ones to anyone, others to their author and moderators."""
    viewer = current_user_or_none()
    return comment_view(comments.get_comment(comment_id, viewer), viewer)


@bp.route("/comments/<int:comment_id>", methods=["PATCH"])
@login_required_api
@bp.arguments(CommentEditSchema)
@bp.response(200, CommentSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def edit_comment(data, comment_id):
    """Change a comment's text: its author inside the edit window, or a moderator."""
    comment = comments.get_comment(comment_id, current_user)
    comments.edit_comment(comment, current_user, data["body"])
    return comment_view(comment, current_user)


@bp.route("/comments/<int:comment_id>", methods=["DELETE"])
@login_required_api
@bp.response(204)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def delete_comment(comment_id):
    """Delete a comment (its author or a moderator); replies keep their place."""
    comments.delete_comment(comments.get_comment(comment_id, current_user), current_user)


@bp.route("/comments/<int:comment_id>/vote", methods=["PUT"])
@login_required_api
@bp.arguments(VoteSchema)
@bp.response(200, VoteResultSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def vote(data, comment_id):
    """Vote a comment up (1), down (-1), or take the vote back (0); not one's own."""
    comment = comments.get_comment(comment_id, current_user)
    return comments.vote(comment, current_user, data["value"])


@bp.route("/comments/<int:comment_id>/flags", methods=["POST"])
@login_required_api
@bp.arguments(FlagSchema)
@bp.response(201, FlagResultSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def flag(data, comment_id):
    """Flag a comment for the moderators; a second flag by the same reader changes nothing."""
    comment = comments.get_comment(comment_id, current_user)
    recorded = comments.flag_comment(comment, current_user, data["reason"], data["note"])
    if recorded is None:
        return {"comment_id": comment.id, "reason": data["reason"], "created_at": None}
    return recorded
