"""Follow buttons on the pages: a post's thread (with its level), an author, a tag."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user

from blog.auth.security import current_user_or_none, login_required_api
from blog.auth.views import safe_next
from blog.models import FollowLevel, FollowType
from blog.services import follows, posts
from blog.services.errors import ServiceError

bp = Blueprint("follows", __name__)

THREAD_LEVELS = {
    FollowLevel.ALL.value: "Every new comment",
    FollowLevel.REPLIES.value: "Replies to my comments",
    FollowLevel.MUTED.value: "Nothing (muted)",
}


@bp.app_template_global()
def follow_level(kind: str, target_id: int) -> str | None:
    """The signed-in reader's follow of a post, author or tag: its level, or None."""
    viewer = current_user_or_none()
    if viewer is None:
        return None
    follow = follows.find_follow(viewer, FollowType(kind), target_id)
    return follow.level if follow is not None else None


@bp.app_template_global()
def thread_follow_levels() -> dict[str, str]:
    return THREAD_LEVELS


def _back(default: str):
    return redirect(safe_next(request.form.get("next") or default), code=303)


@bp.route("/follows/posts/<slug>", methods=["POST"])
@login_required_api
def follow_post(slug):
    """Follow a thread at a level (all, replies, muted), or stop following it ("none")."""
    post = posts.get_visible_post(slug, current_user, with_author=False)
    level = request.form.get("level", "")
    if level == "none":
        follows.unfollow(current_user, FollowType.POST, post.id)
        flash("You no longer follow this discussion.", "info")
    elif level in THREAD_LEVELS:
        follows.follow_post(current_user, post, level)
        flash(f"Following this discussion: {THREAD_LEVELS[level].lower()}.", "info")
    else:
        flash("Choose what to hear about this discussion.", "error")
    return _back(url_for("posts.article", slug=post.slug, _anchor="comments"))


@bp.route("/follows/authors/<int:user_id>", methods=["POST"])
@login_required_api
def follow_author(user_id):
    """Follow or stop following an author's new posts."""
    author = follows.author_by_id(user_id)
    return _follow_or_unfollow(FollowType.AUTHOR, author.id, author.display_name,
                               lambda: follows.follow_author(current_user, author),
                               url_for("posts.front_page"))


@bp.route("/follows/tags/<slug>", methods=["POST"])
@login_required_api
def follow_tag(slug):
    """Follow or stop following a tag's new posts."""
    tag = posts.get_tag(slug)
    return _follow_or_unfollow(FollowType.TAG, tag.id, tag.name,
                               lambda: follows.follow_tag(current_user, tag),
                               url_for("posts.tag_page", slug=tag.slug))


def _follow_or_unfollow(kind: FollowType, target_id: int, name: str,
                        follow: Callable[[], object], default: str):
    """The author and tag buttons: `action=unfollow` stops following, anything else follows."""
    if request.form.get("action") == "unfollow":
        follows.unfollow(current_user, kind, target_id)
        flash(f"You no longer follow {name}.", "info")
        return _back(default)
    try:
        follow()
    except ServiceError as error:
        messages = error.messages_for("")
        flash(" ".join(message for field in messages.values() for message in field), "error")
        return _back(default)
    flash(f"You follow {name}: new posts reach your notifications.", "info")
    return _back(default)
