"""The moderators' pages: /admin/moderation, /admin/log, /admin/users and /admin/bans.

Thin adapters over the same services as the moderation API. Every action is a POST form with a
CSRF token that redirects back (post/redirect/get); admin.js adds keyboard shortcuts on top.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import marshmallow as ma
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from blog.api.pagination import SortKey, datetime_key, paginate
from blog.auth.security import roles_required
from blog.auth.views import safe_next
from blog.extensions import db
from blog.models import Comment, Post, PostStatus, Role, User, utcnow
from blog.moderation.api import log_page
from blog.moderation.schemas import (
    REASON_MAX,
    SEARCH_MAX,
    BanSchema,
    BulkDecisionSchema,
    DecisionSchema,
    QueueQuerySchema,
    excerpt,
)
from blog.services import bans, moderation, moderation_decisions
from blog.services import moderation_queue as queues
from blog.services.errors import NotFound, ServiceError, ValidationFailed
from blog.services.moderation_decisions import Decision
from blog.services.moderation_queue import Queue
from blog.wording import plural

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 20
BAN_DURATIONS = {"": None, "1": 1, "7": 7, "30": 30}
#: Decisions on many comments that ask "are you sure?" first; one by one they do not.
CONFIRMED_BULK = {Decision.REJECT.value, Decision.DELETE.value}
#: How a bulk decision's flash message says what was done ("Approved 3 comments.").
BULK_DONE = {Decision.APPROVE: "Approved", Decision.REJECT: "Rejected",
             Decision.SPAM: "Marked as spam:", Decision.DELETE: "Deleted"}
#: Form fields whose name is not the word a moderator sees.
FIELD_LABELS = {"q": "Search"}
USER_COMMENT_ORDER = (datetime_key(Comment.created_at, descending=True),
                      SortKey(Comment.id, descending=True))


@bp.context_processor
def admin_helpers() -> dict:
    return {"age": age, "excerpt": excerpt, "Queue": Queue, "Decision": Decision,
            "REASON_MAX": REASON_MAX, "SEARCH_MAX": SEARCH_MAX}


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


def _form_errors(error: ma.ValidationError) -> str:
    """Say what is wrong with a form, one sentence per field."""
    messages = error.messages if isinstance(error.messages, dict) else {"form": error.messages}
    parts = []
    for field_name, field_messages in messages.items():
        texts = field_messages if isinstance(field_messages, list) else [str(field_messages)]
        label = FIELD_LABELS.get(field_name, field_name.capitalize())
        parts.append(f"{label}: {' '.join(map(str, texts))}")
    return " ".join(parts)


def _load(schema: ma.Schema, data: dict) -> dict | None:
    """Load form input with the API's schema; flash what is wrong and return None if it is."""
    try:
        return schema.load(data)
    except ma.ValidationError as error:
        flash(_form_errors(error), "error")
        return None


def _queue_query() -> dict:
    """Read the queue's tab, post filter and search with the API's schema (bad values: dropped)."""
    raw = {key: request.args[key] for key in ("status", "post", "q", "sort")
           if request.args.get(key)}
    try:
        return QueueQuerySchema().load(raw)
    except ma.ValidationError as error:
        flash(_form_errors(error), "error")
        return QueueQuerySchema().load({})


def _queue_post(ref: str | None) -> Post | None:
    if not ref:
        return None
    try:
        return queues.post_by_ref(ref)
    except NotFound:
        flash(f"No post “{ref}”; showing every post.", "error")
        return None


@bp.route("/moderation")
@roles_required(Role.MODERATOR)
def moderation_queue():
    """Show one moderation queue, oldest first, with bulk and one-by-one decisions."""
    query = _queue_query()
    status, search, sort = query["status"], query["q"].strip(), query["sort"]
    post = _queue_post(query["post"])

    def run(cursor):
        return queues.queue_page(status, post=post, limit=PAGE_SIZE, cursor=cursor,
                                 search=search, include_email=True, sort=sort)

    page = _page_or_first(run, request.args.get("cursor"))
    return render_template(
        "admin/queue.html", page=page, status=status, post=post, q=search, sort=sort,
        toxicity_hold=current_app.config["MODERATION_TOXICITY_HOLD"],
        counts=queues.queue_counts(), posts=_filter_posts(post),
        premoderated=moderation.post_premoderated(post.id) if post else False,
        here=request.full_path.rstrip("?"),
    )


@bp.route("/moderation/comments/<int:comment_id>")
@roles_required(Role.MODERATOR)
def comment_detail(comment_id):
    """Show one comment with its flags, author, history and the decision buttons."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("No such comment.")
    item = queues.describe([comment])[0]
    return render_template(
        "admin/comment.html", item=item, c=comment,
        history=log_page(50, None, comment_id=comment.id).items,
        here=request.full_path.rstrip("?"),
    )


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
    data = _load(DecisionSchema(), {"action": request.form.get("action", ""),
                                    "reason": request.form.get("reason", "")})
    if data is None:
        return _back()
    try:
        comment = moderation_decisions.decide(comment_id, data["action"], current_user,
                                              data["reason"])
    except ServiceError as error:
        db.session.rollback()
        flash(f"Comment #{comment_id}: {error.detail}", "error")
    else:
        flash(f"Comment #{comment.id} is now {comment.status}.", "success")
    return _back()


@bp.route("/moderation/bulk", methods=["POST"])
@roles_required(Role.MODERATOR)
def decide_bulk():
    """Apply one decision to the selected comments; rejecting or deleting asks first."""
    ids = [i for i in request.form.getlist("ids") if i.isdigit()]
    if not ids or not request.form.get("action"):
        flash("Select comments, then choose a decision.", "error")
        return _back()
    data = _load(BulkDecisionSchema(), {
        "ids": [int(i) for i in ids][: moderation_decisions.MAX_BULK],
        "action": request.form.get("action", ""), "reason": request.form.get("reason", ""),
    })
    if data is None:
        return _back()
    if data["action"] in CONFIRMED_BULK and request.form.get("confirm") != "yes":
        return render_template("admin/confirm_bulk.html", data=data,
                               next=safe_next(request.form.get("next") or url_for(
                                   "admin.moderation_queue")))
    result = moderation_decisions.decide_many(data["ids"], data["action"], current_user,
                                              data["reason"])
    if result.done:
        flash(f"{BULK_DONE[data['action']]} {plural(len(result.done), 'comment')}.", "success")
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
    """Ban a user, for some days or until lifted, openly or in the shadow, once confirmed."""
    user = bans.get_user(user_id)
    data = _load(BanSchema(), {"reason": request.form.get("reason", ""),
                               "shadow": request.form.get("shadow") == "on"})
    if data is None:
        return _back()
    days = BAN_DURATIONS.get(request.form.get("days", ""))
    if request.form.get("confirm") != "yes":
        return render_template("admin/confirm_ban.html", user=user, data=data,
                               days=request.form.get("days", ""),
                               next=safe_next(request.form.get("next") or url_for(
                                   "admin.moderation_queue")))
    until = utcnow() + timedelta(days=days) if days else None
    try:
        bans.ban_user(user, current_user, reason=data["reason"], until=until,
                      shadow=data["shadow"])
    except ServiceError as error:
        db.session.rollback()
        flash(f"{user.display_name}: {error.detail}", "error")
    else:
        flash(f"{user.display_name} is banned{' (shadow)' if data['shadow'] else ''}"
              f"{f' for {days} days' if days else ''}.", "success")
    return _back()


@bp.route("/users/<int:user_id>/unban", methods=["POST"])
@roles_required(Role.MODERATOR)
def unban_user(user_id):
    """Lift a user's ban."""
    user = bans.get_user(user_id)
    data = _load(BanSchema(only=("reason",)), {"reason": request.form.get("reason", "")})
    if data is None:
        return _back()
    lifted = bans.unban_user(user, current_user, data["reason"])
    flash(f"{user.display_name} {'is no longer banned' if lifted else 'was not banned'}.",
          "success")
    return _back()


@bp.route("/bans")
@roles_required(Role.MODERATOR)
def ban_list():
    """List the bans in force, with their end dates and an unban button."""
    return render_template("admin/bans.html", bans=bans.active_bans(),
                           here=request.full_path.rstrip("?"))
