"""The pages behind the links in emails: confirm a subscription, unsubscribe."""

from __future__ import annotations

import marshmallow as ma
from flask import Blueprint, render_template, request

from blog.auth.security import csrf_exempt
from blog.extensions import limiter
from blog.services import subscriptions
from blog.services.subscriptions import ExpiredToken, InvalidToken
from blog.subscriptions.api import subscribe_limit
from blog.subscriptions.schemas import SubscribeSchema

bp = Blueprint("subscriptions", __name__)


@bp.route("/subscribe", methods=["POST"])
@csrf_exempt
@limiter.limit(subscribe_limit)
def subscribe_submit():
    """Ask for new posts by email from the form on the pages (double opt-in, as the API).

    Without a CSRF token, so that anonymous pages carry no per-visitor token and stay
    cacheable: a forged request can only send the confirmation email, which changes nothing
    until its owner clicks the link, and the form is rate-limited like the API.
    """
    fields = {"email": request.form.get("email", "").strip(),
              "tags": [tag for tag in request.form.getlist("tag") if tag]}
    try:
        data = SubscribeSchema().load(fields)
    except ma.ValidationError as error:
        message = ("Enter an email address, such as name@example.com." if "email" in error.messages
                   else "Those topics cannot be subscribed to.")
        page = render_template("subscriptions/subscribe.html", email=fields["email"],
                               tags=fields["tags"], error=message)
        return page, 422
    subscriptions.subscribe(data["email"], data["tags"])
    return render_template("subscriptions/subscribe_sent.html", email=data["email"])


@bp.route("/subscriptions/confirm", methods=["GET"])
def confirm_page():
    """Confirm an email subscription from the link in the confirmation email."""
    try:
        subscription = subscriptions.confirm(request.args.get("token", ""))
    except ExpiredToken:
        return _bad_link("This confirmation link has expired. Subscribe again for a new one.")
    except InvalidToken:
        return _bad_link("This confirmation link is not valid.")
    return render_template("subscriptions/confirmed.html", subscription=subscription)


@bp.route("/subscriptions/unsubscribe", methods=["GET"])
def unsubscribe_page():
    """Show a button that unsubscribes (a GET changes nothing: mail scanners follow links)."""
    token = request.args.get("token", "")
    try:
        target = subscriptions.unsubscribe_target(token)
    except InvalidToken:
        return _bad_link("This unsubscribe link is not valid.")
    return render_template("subscriptions/unsubscribe.html", target=target, token=token)


@bp.route("/subscriptions/unsubscribe", methods=["POST"])
@csrf_exempt
def unsubscribe_submit():
    """Unsubscribe at once: the button, or a mail client's one-click POST (RFC 8058).

    Authorized by the signed token alone: mail clients post without cookies or CSRF token.
    """
    token = request.args.get("token") or request.form.get("token", "")
    try:
        target = subscriptions.unsubscribe(token)
    except InvalidToken:
        return _bad_link("This unsubscribe link is not valid.")
    return render_template("subscriptions/unsubscribed.html", target=target)


def _bad_link(message: str):
    return render_template("subscriptions/bad_link.html", message=message), 400
