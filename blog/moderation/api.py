"""The moderation API: /api/v1/moderation/* (moderators and admins only)."""

from __future__ import annotations

from flask_login import current_user

from blog.api.blueprint import Blueprint
from blog.api.pagination import SortKey, datetime_key, paginate
from blog.api.schemas import PageQuerySchema
from blog.auth.security import roles_required
from blog.extensions import db
from blog.models import ModerationLogEntry, Role
from blog.moderation.schemas import (
    BanOutSchema,
    BanSchema,
    BulkDecisionSchema,
    BulkResultSchema,
    DecisionSchema,
    LogPageSchema,
    ModeratedCommentSchema,
    PremoderationSchema,
    QueuePageSchema,
    QueueQuerySchema,
)
from blog.services import bans, moderation, moderation_decisions, moderation_log, moderation_queue

bp = Blueprint("moderation_api", __name__, url_prefix="/api/v1/moderation",
               description="Moderation (moderators and admins)")

LOG_ORDER = (datetime_key(ModerationLogEntry.created_at, descending=True),
             SortKey(ModerationLogEntry.id, descending=True))


def log_page(limit: int, cursor: str | None, **filters):
    """Return one page of the audit log, newest first, with the people named in it."""
    page = paginate(db.session, moderation_log.log_statement(**filters), LOG_ORDER,
                    limit=limit, cursor=cursor, values_of=lambda e: (e.created_at, e.id))
    moderation_log.attach_people(page.items)
    return page


@bp.route("/queue", methods=["GET"])
@roles_required(Role.MODERATOR)
@bp.arguments(QueueQuerySchema, location="query")
@bp.response(200, QueuePageSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def get_queue(query):
    """List the comments of one queue, oldest first (or by toxicity score), with signals, scores,
    flags and author records."""
    post = moderation_queue.post_by_ref(query["post"]) if query["post"] else None
    return moderation_queue.queue_page(query["status"], post=post, limit=query["limit"],
                                       cursor=query["cursor"], search=query["q"].strip(),
                                       include_email=True, sort=query["sort"])


@bp.route("/comments/<int:comment_id>", methods=["POST"])
@roles_required(Role.MODERATOR)
@bp.arguments(DecisionSchema)
@bp.response(200, ModeratedCommentSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def decide_comment(data, comment_id):
    """Approve, reject, mark as spam or delete one comment."""
    return moderation_decisions.decide(comment_id, data["action"], current_user, data["reason"])


@bp.route("/bulk", methods=["POST"])
@roles_required(Role.MODERATOR)
@bp.arguments(BulkDecisionSchema)
@bp.response(200, BulkResultSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
def decide_bulk(data):
    """Apply one decision to many comments; report which ones failed and why."""
    return moderation_decisions.decide_many(data["ids"], data["action"], current_user,
                                            data["reason"])


@bp.route("/log", methods=["GET"])
@roles_required(Role.MODERATOR)
@bp.arguments(PageQuerySchema, location="query")
@bp.response(200, LogPageSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
def get_log(query):
    """List who did what to which comment or user, when and why, newest first."""
    return log_page(query["limit"], query["cursor"])


@bp.route("/users/<int:user_id>/ban", methods=["PUT"])
@roles_required(Role.MODERATOR)
@bp.arguments(BanSchema)
@bp.response(200, BanOutSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def ban(data, user_id):
    """Ban a user from commenting, for a time (`until`) or until lifted; `shadow` hides it."""
    return bans.ban_user(bans.get_user(user_id), current_user, **data)


@bp.route("/users/<int:user_id>/ban", methods=["DELETE"])
@roles_required(Role.MODERATOR)
@bp.response(204)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def unban(user_id):
    """Lift a user's ban."""
    bans.unban_user(bans.get_user(user_id), current_user)


@bp.route("/posts/<slug>/premoderation", methods=["PUT"])
@roles_required(Role.MODERATOR)
@bp.arguments(PremoderationSchema)
@bp.response(200, PremoderationSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def set_premoderation(data, slug):
    """Hold every new comment on one post for a moderator (or stop holding them)."""
    post = moderation_queue.post_by_slug(slug)
    return moderation.set_post_premoderation(post, data["premoderate"], current_user)
