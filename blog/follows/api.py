"""Follows and preferences: /api/v1/me/follows/... and /api/v1/me/preferences."""

from __future__ import annotations

from flask_login import current_user

from blog.api.blueprint import Blueprint
from blog.auth.security import login_required_api
from blog.extensions import db
from blog.follows.schemas import (
    FollowListSchema,
    FollowPostSchema,
    FollowSchema,
    PreferencesSchema,
)
from blog.models import FollowType, Post, Tag, User
from blog.services import follows, posts

bp = Blueprint("follows_api", __name__, url_prefix="/api/v1", description="Follows")


def _with_target(follow):
    """Attach the followed post, author or tag, for the response schema."""
    model = {FollowType.POST: Post, FollowType.AUTHOR: User, FollowType.TAG: Tag}[follow.type]
    target_id = follow.post_id or follow.author_id or follow.tag_id
    follow.target = db.session.get(model, target_id)
    return follow


@bp.route("/me/follows", methods=["GET"])
@login_required_api
@bp.response(200, FollowListSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
def list_follows():
    """List what I follow, newest first."""
    return {"items": [_with_target(follow) for follow in follows.follows_of(current_user)]}


@bp.route("/me/follows/posts/<slug>", methods=["PUT"])
@login_required_api
@bp.arguments(FollowPostSchema)
@bp.response(200, FollowSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(404, response="NOT_FOUND")
def follow_post(data, slug):
    """Follow a post's comments at a level (all, replies or muted)."""
    post = posts.get_visible_post(slug, current_user)
    return _with_target(follows.follow_post(current_user, post, data["level"]))


@bp.route("/me/follows/posts/<slug>", methods=["DELETE"])
@login_required_api
@bp.response(204)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(404, response="NOT_FOUND")
def unfollow_post(slug):
    """Stop following a post: nothing from its thread reaches me, not even replies."""
    post = posts.get_visible_post(slug, current_user)
    follows.unfollow(current_user, FollowType.POST, post.id)


@bp.route("/me/follows/authors/<int:user_id>", methods=["PUT"])
@login_required_api
@bp.response(200, FollowSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def follow_author(user_id):
    """Follow an author's new posts."""
    author = follows.author_by_id(user_id)
    return _with_target(follows.follow_author(current_user, author))


@bp.route("/me/follows/authors/<int:user_id>", methods=["DELETE"])
@login_required_api
@bp.response(204)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(404, response="NOT_FOUND")
def unfollow_author(user_id):
    """Stop following an author."""
    author = follows.author_by_id(user_id)
    follows.unfollow(current_user, FollowType.AUTHOR, author.id)


@bp.route("/me/follows/tags/<tag>", methods=["PUT"])
@login_required_api
@bp.response(200, FollowSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(404, response="NOT_FOUND")
def follow_tag(tag):
    """Follow new posts in a tag (named by its slug)."""
    return _with_target(follows.follow_tag(current_user, posts.get_tag(tag)))


@bp.route("/me/follows/tags/<tag>", methods=["DELETE"])
@login_required_api
@bp.response(204)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(404, response="NOT_FOUND")
def unfollow_tag(tag):
    """Stop following a tag."""
    follows.unfollow(current_user, FollowType.TAG, posts.get_tag(tag).id)


@bp.route("/me/preferences", methods=["GET"])
@login_required_api
@bp.response(200, PreferencesSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
def get_preferences():
    """Show my notification preferences."""
    return follows.get_preferences(current_user.id)


@bp.route("/me/preferences", methods=["PATCH"])
@login_required_api
@bp.arguments(PreferencesSchema)
@bp.response(200, PreferencesSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def update_preferences(data):
    """Change my notification preferences (email: immediate, daily or off)."""
    return follows.update_preferences(current_user, data)
