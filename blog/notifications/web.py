"""The unread count for the pages' navigation."""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user

from blog.services import notifications


def unread_count_context() -> dict:
    """Offer templates `unread_notifications()`: the signed-in reader's unread count, or None."""

    def unread_notifications() -> int | None:
        if not has_request_context() or not current_user.is_authenticated:
            return None
        return notifications.unread_count(current_user.id)

    return {"unread_notifications": unread_notifications}
