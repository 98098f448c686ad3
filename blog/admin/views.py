"""The moderators' pages: /admin/moderation, /admin/log and /admin/users.

Thin adapters over the same services as the moderation API. Every action is a POST form with a
CSRF token that redirects back (post/redirect/get); admin.js adds keyboard shortcuts on top.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from blog.api.pagination import SortKey, datetime_key, paginate
from blog.auth.security import roles_required
from blog.auth.views import safe_next
from blog.extensions import db
from blog.models import Comment, Post, PostStatus, Role, User, utcnow
from blog.moderation.api import log_page
from blog.moderation.schemas import excerpt
from blog.services import bans, moderation, moderation_decisions
from blog.services import moderation_queue as queues
from blog.services.errors import ServiceError, ValidationFailed
from blog.services.moderation_decisions import Decision
from blog.services.moderation_queue import Queue

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 20
BAN_DURATIONS = {"": None, "1": 1, "7": 7, "30": 30}
USER_COMMENT_ORDER = (datetime_key(Comment.created_at, descending=True),
                      SortKey(Comment.id, descending=True))


@bp.context_processor
def admin_helpers() -> dict:
    return {"age": age, "excerpt": excerpt, "Queue": Queue, "Decision": Decision}


def age(moment: datetime | None) -> str:
    """Say how long ago `moment` was, roughly ("3 days", "5 hours")."""
    if moment is None:
        return "unknown"
    seconds = max(0, int((utcnow() - moment).total_seconds()))
    for unit, size in (("year", 365 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return "just now"


def _page_or_first(run, cursor: str | None):
    """Run a paginated query; an unreadable cursor starts from the first page."""
    try:
        return run(cursor)
    except ValidationFailed:
        return run(None)


def _back(default_endpoint: str = "admin.moderation_queue"):
    return redirect(safe_next(request.form.get("next") or url_for(default_endpoint)))


@bp.route("/moderation")
@roles_required(Role.MODERATOR)
def moderation_queue():
    """Show one moderation queue, oldest first, with bulk and one-by-one decisions."""
    status = request.args.get("status", Queue.PENDING.value)
    if status not in {q.value for q in Queue}:
        status = Queue.PENDING.value
    slug = request.args.get("post") or None
    post = db.session.scalar(select(Post).where(Post.slug == slug)) if slug else None
    page = _page_or_first(
        lambda cursor: moderation_queue_page(status, post, cursor), request.args.get("cursor")
    )
    return render_template(
        "admin/queue.html", page=page, status=status, post=post,
        counts=queues.queue_counts(), posts=_filter_posts(post),
        premoderated=moderation.post_premoderated(post.id) if post else False,
        here=request.full_path.rstrip("?"),
    )


def moderation_queue_page(status: str, post: Post | None, cursor: str | None):
    return queues.queue_page(status, post=post, limit=PAGE_SIZE, cursor=cursor)


def _filter_posts(current: Post | None) -> list[Post]:
    """The posts offered by the filter: the latest published ones, and the one filtered by."""
    latest = list(db.session.scalars(
        select(Post).where(Post.status == PostStatus.PUBLISHED)
        .order_by(Post.published_at.desc(), Post.id.desc()).limit(50)
    ))
    if current is not None and current not in latest:
        latest.insert(0, current)
    return latest


@bp.route("/moderation/comments/<int:comment_id>", methods=["POST"])
@roles_required(Role.MODERATOR)
def decide_comment(comment_id):
    """Decide one comment from the queue's buttons."""
    action = request.form.get("action", "")
    if action not in {d.value for d in Decision}:
        flash("Choose approve, reject, spam or delete.", "error")
        return _back()
    try:
        comment = moderation_decisions.decide(comment_id, action, current_user,
                                              request.form.get("reason", "").strip())
    except ServiceError as error:
        db.session.rollback()
        flash(f"Comment #{comment_id}: {error.detail}", "error")
    else:
        flash(f"Comment #{comment.id} is now {comment.status}.", "success")
    return _back()


@bp.route("/moderation/bulk", methods=["POST"])
@roles_required(Role.MODERATOR)
def decide_bulk():
    """Apply one decision to the selected comments."""
    action = request.form.get("action", "")
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
    if action not in {d.value for d in Decision} or not ids:
        flash("Select comments, then choose a decision.", "error")
        return _back()
    result = moderation_decisions.decide_many(
        ids[: moderation_decisions.MAX_BULK], action, current_user,
        request.form.get("reason", "").strip(),
    )
    if result.done:
        flash(f"{action.capitalize()}: {len(result.done)} comment(s).", "success")
    for comment_id, why in result.failed.items():
        flash(f"Comment #{comment_id}: {why}", "error")
    return _back()


@bp.route("/moderation/posts/<slug>/premoderation", methods=["POST"])
@roles_required(Role.MODERATOR)
def set_premoderation(slug):
    """Turn pre-moderation of one post on or off."""
    post = queues.post_by_slug(slug)
    premoderate = request.form.get("premoderate") == "on"
    moderation.set_post_premoderation(post, premoderate, current_user)
    state = "now held for moderation" if premoderate else "no longer all held"
    flash(f"New comments on “{post.title}” are {state}.", "success")
    return _back()


@bp.route("/log")
@roles_required(Role.MODERATOR)
def moderation_log():
    """Show the audit log, newest first."""
    page = _page_or_first(lambda cursor: log_page(50, cursor), request.args.get("cursor"))
    return render_template("admin/log.html", page=page)


@bp.route("/users")
@roles_required(Role.MODERATOR)
def users():
    """Find users by name (and, for admins, by email)."""
    q = request.args.get("q", "").strip()
    found = []
    if q:
        pattern = f"%{q}%"
        match = User.display_name.ilike(pattern)
        if current_user.has_role(Role.ADMIN):
            match = or_(match, User.email.ilike(pattern))
        found = list(db.session.scalars(select(User).where(match).order_by(User.id).limit(50)))
    stats = queues.author_stats({user.id for user in found})
    return render_template("admin/users.html", q=q, users=found, stats=stats)


@bp.route("/users/<int:user_id>")
@roles_required(Role.MODERATOR)
def user_detail(user_id):
    """Show one user's record, their comments and their ban, with ban and unban forms."""
    user = bans.get_user(user_id)

    def comments_page(cursor):
        statement = (select(Comment).where(Comment.author_id == user.id)
                     .options(joinedload(Comment.post)))
        return paginate(db.session, statement, USER_COMMENT_ORDER, limit=PAGE_SIZE,
                        cursor=cursor, values_of=lambda c: (c.created_at, c.id))

    page = _page_or_first(comments_page, request.args.get("cursor"))
    return render_template(
        "admin/user.html", user=user, page=page, ban=bans.active_ban(user),
        stats=queues.author_stats({user.id}).get(user.id),
        history=log_page(20, None, user_id=user.id).items,
    )


@bp.route("/users/<int:user_id>/ban", methods=["POST"])
@roles_required(Role.MODERATOR)
def ban_user(user_id):
    """Ban a user, for some days or until lifted, openly or in the shadow."""
    user = bans.get_user(user_id)
    days = BAN_DURATIONS.get(request.form.get("days", ""))
    until = utcnow() + timedelta(days=days) if days else None
    try:
        bans.ban_user(user, current_user, reason=request.form.get("reason", "").strip(),
                      until=until, shadow=request.form.get("shadow") == "on")
    except ServiceError as error:
        db.session.rollback()
        flash(f"{user.display_name}: {error.detail}", "error")
    else:
        flash(f"{user.display_name} is banned{' (shadow)' if request.form.get('shadow') else ''}"
              f"{f' for {days} days' if days else ''}.", "success")
    return _back()


@bp.route("/users/<int:user_id>/unban", methods=["POST"])
@roles_required(Role.MODERATOR)
def unban_user(user_id):
    """Lift a user's ban."""
    user = bans.get_user(user_id)
    lifted = bans.unban_user(user, current_user, request.form.get("reason", "").strip())
    flash(f"{user.display_name} {'is no longer banned' if lifted else 'was not banned'}.",
          "success")
    return _back()
