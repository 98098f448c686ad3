"""The in-app feed: /api/v1/me/notifications, its unread count and mark-read."""

from __future__ import annotations

from flask_login import current_user

from blog.api.blueprint import Blueprint
from blog.api.pagination import SortKey, paginate
from blog.auth.security import login_required_api
from blog.extensions import db
from blog.models import Notification
from blog.notifications.schemas import (
    MarkReadSchema,
    NotificationPageSchema,
    NotificationQuerySchema,
    UnreadCountSchema,
)
from blog.services import notifications

bp = Blueprint("notifications_api", __name__, url_prefix="/api/v1", description="Notifications")

#: Ids grow with time, so id order is newest-first order.
NOTIFICATION_ORDER = (SortKey(Notification.id, descending=True),)


@bp.route("/me/notifications", methods=["GET"])
@login_required_api
@bp.arguments(NotificationQuerySchema, location="query")
@bp.response(200, NotificationPageSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
def list_notifications(query):
    """List my notifications, newest first."""
    statement = notifications.notifications_of(current_user, unread_only=query["unread"])
    return paginate(db.session, statement, NOTIFICATION_ORDER, limit=query["limit"],
                    cursor=query["cursor"], values_of=lambda n: (n.id,))


@bp.route("/me/notifications/unread-count", methods=["GET"])
@login_required_api
@bp.response(200, UnreadCountSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
def unread_count():
    """Count my unread notifications."""
    return {"count": notifications.unread_count(current_user.id)}


@bp.route("/me/notifications/read", methods=["POST"])
@login_required_api
@bp.arguments(MarkReadSchema)
@bp.response(204)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def mark_read(data):
    """Mark some (`ids`) or all (`all: true`) of my notifications read."""
    notifications.mark_read(current_user, data.get("ids"), everything=bool(data.get("all")))
