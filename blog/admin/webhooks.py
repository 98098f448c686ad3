"""The admins' webhooks page: /admin/webhooks, with each endpoint's delivery log.

A thin adapter over blog.services.webhooks, as the /api/v1/webhooks API is. Registering, and
rotating a secret, show the new secret once, on the answer page itself (never in a flashed
message, which would put it in the session cookie).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from blog.admin.views import _load, bp
from blog.auth.security import roles_required
from blog.extensions import db
from blog.models import Role, WebhookEvent, WebhookFormat, utcnow
from blog.services import webhooks
from blog.services.errors import ServiceError
from blog.webhooks.schemas import WebhookCreateSchema


def _page(created=None, form=None, status: int = 200, rotated=None):
    endpoints = webhooks.endpoints()
    log = webhooks.recent_deliveries(limit=100)
    return render_template("admin/webhooks.html", endpoints=endpoints, deliveries=log,
                           created=created, rotated=rotated, form=form or {}, now=utcnow(),
                           event_names=list(WebhookEvent), formats=list(WebhookFormat)), status


@bp.route("/webhooks")
@roles_required(Role.ADMIN)
def webhooks_page():
    """The registered endpoints, a form to add one, and the latest deliveries."""
    return _page()


@bp.route("/webhooks", methods=["POST"])
@roles_required(Role.ADMIN)
def register_webhook():
    """Register an endpoint from the form; the answer shows its secret, once."""
    form = {"url": request.form.get("url", "").strip(), "events": request.form.getlist("events"),
            "format": request.form.get("format", WebhookFormat.STANDARD.value),
            "description": request.form.get("description", "")}
    data = _load(WebhookCreateSchema(), form)
    if data is None:
        return _page(form=form, status=422)
    try:
        endpoint = webhooks.register_endpoint(data["url"], data["events"],
                                              created_by=current_user, format=data["format"],
                                              description=data["description"])
    except ServiceError as error:
        db.session.rollback()
        flash(" ".join(error.messages_for("url").get("url", [error.detail])), "error")
        return _page(form=form, status=422)
    return _page(created=endpoint, status=201)


@bp.route("/webhooks/<int:endpoint_id>/enable", methods=["POST"])
@roles_required(Role.ADMIN)
def enable_webhook(endpoint_id):
    endpoint = webhooks.enable_endpoint(endpoint_id)
    flash(f"Webhook {endpoint.url} is on again; its waiting deliveries go out.", "success")
    return redirect(url_for("admin.webhooks_page"))


@bp.route("/webhooks/<int:endpoint_id>/rotate-secret", methods=["POST"])
@roles_required(Role.ADMIN)
def rotate_webhook_secret(endpoint_id):
    """A new secret, shown once on the answer page; the old one signs too for a day."""
    return _page(rotated=webhooks.rotate_secret(endpoint_id))


@bp.route("/webhooks/<int:endpoint_id>/delete", methods=["POST"])
@roles_required(Role.ADMIN)
def delete_webhook(endpoint_id):
    endpoint = webhooks.get_endpoint(endpoint_id)
    url = endpoint.url
    webhooks.delete_endpoint(endpoint_id)
    flash(f"Webhook {url} removed.", "success")
    return redirect(url_for("admin.webhooks_page"))
