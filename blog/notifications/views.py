"""The in-app feed as a page: /notifications, for readers without a JavaScript front-end."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blog.api.pagination import paginate
from blog.auth.security import login_required_api
from blog.delivery.render import notification_url
from blog.extensions import db
from blog.notifications.api import NOTIFICATION_ORDER
from blog.services import notifications
from blog.services.errors import ValidationFailed

bp = Blueprint("notifications", __name__)
PAGE_SIZE = 30


@bp.route("/notifications")
@login_required_api
def feed_page():
    """Show my notifications, newest first."""
    statement = notifications.notifications_of(current_user)
    try:
        page = paginate(db.session, statement, NOTIFICATION_ORDER, limit=PAGE_SIZE,
                        cursor=request.args.get("cursor"), values_of=lambda n: (n.id,))
    except ValidationFailed:
        return redirect(url_for("notifications.feed_page"))
    return render_template("notifications/list.html", page=page, link_of=notification_url)


@bp.route("/notifications/read", methods=["POST"])
@login_required_api
def mark_all_read():
    """Mark all my notifications read."""
    count = notifications.mark_read(current_user, everything=True)
    flash(f"Marked {count} notification{'s' if count != 1 else ''} read.", "success")
    return redirect(url_for("notifications.feed_page"))
