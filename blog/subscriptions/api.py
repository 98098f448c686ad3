"""POST /api/v1/subscriptions: a visitor asks for new posts by email (double opt-in)."""

from __future__ import annotations

from flask import current_app

from blog.api.blueprint import Blueprint
from blog.extensions import limiter
from blog.services import subscriptions
from blog.subscriptions.schemas import AcceptedSchema, SubscribeSchema

bp = Blueprint("subscriptions_api", __name__, url_prefix="/api/v1",
               description="Email subscriptions")


def subscribe_limit() -> str:
    return current_app.config["RATELIMIT_SUBSCRIBE"]


@bp.route("/subscriptions", methods=["POST"])
@limiter.limit(subscribe_limit)
@bp.arguments(SubscribeSchema)
@bp.response(202, AcceptedSchema)
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def subscribe(data):
    """Ask for new posts by email; a confirmation link is mailed (the answer never tells more)."""
    subscriptions.subscribe(data["email"], data["tags"])
    return {"status": "accepted",
            "detail": "If the address can receive our emails, a confirmation link is on its way."}
