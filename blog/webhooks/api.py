"""Webhook endpoints: /api/v1/webhooks (admins only)."""

from __future__ import annotations

from datetime import timedelta

from flask_login import current_user

from blog.api.blueprint import Blueprint
from blog.auth.security import roles_required
from blog.models import Role
from blog.services import webhooks
from blog.webhooks.schemas import (
    DeliveryListSchema,
    WebhookCreatedSchema,
    WebhookCreateSchema,
    WebhookListSchema,
    WebhookRotateSchema,
    WebhookSchema,
)

bp = Blueprint("webhooks_api", __name__, url_prefix="/api/v1/webhooks",
               description="Webhooks (admins)")


@bp.route("", methods=["POST"])
@roles_required(Role.ADMIN)
@bp.arguments(WebhookCreateSchema)
@bp.response(201, WebhookCreatedSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def register(data):
    """Register an endpoint for some events; the answer holds its signing secret, once."""
    return webhooks.register_endpoint(data["url"], data["events"], created_by=current_user,
                                      format=data["format"], secret=data["secret"],
                                      description=data["description"])


@bp.route("", methods=["GET"])
@roles_required(Role.ADMIN)
@bp.response(200, WebhookListSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
def list_endpoints():
    """List the registered endpoints, with whether each is active (secrets are not shown)."""
    return {"items": webhooks.endpoints()}


@bp.route("/<int:endpoint_id>", methods=["DELETE"])
@roles_required(Role.ADMIN)
@bp.response(204)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def delete(endpoint_id):
    """Remove an endpoint and its delivery log; nothing more is sent to it."""
    webhooks.delete_endpoint(endpoint_id)


@bp.route("/<int:endpoint_id>/enable", methods=["POST"])
@roles_required(Role.ADMIN)
@bp.response(200, WebhookSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def enable(endpoint_id):
    """Turn a disabled endpoint back on; its waiting deliveries go out again."""
    return webhooks.enable_endpoint(endpoint_id)


@bp.route("/<int:endpoint_id>/rotate-secret", methods=["POST"])
@roles_required(Role.ADMIN)
@bp.arguments(WebhookRotateSchema)
@bp.response(200, WebhookCreatedSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def rotate_secret(data, endpoint_id):
    """Give the endpoint a new signing secret, returned once in this answer; the old one
    signs too (a second signature) for `grace_seconds`, while the receiver switches over."""
    return webhooks.rotate_secret(endpoint_id, secret=data["secret"],
                                  grace=timedelta(seconds=data["grace_seconds"]))


@bp.route("/<int:endpoint_id>/deliveries", methods=["GET"])
@roles_required(Role.ADMIN)
@bp.response(200, DeliveryListSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def deliveries(endpoint_id):
    """The endpoint's latest 50 deliveries, newest first."""
    webhooks.get_endpoint(endpoint_id)
    return {"items": webhooks.recent_deliveries(endpoint_id)}
