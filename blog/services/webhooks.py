"""Webhooks: the endpoints admins register, and the deliveries each outbox event queues.

An event becomes deliveries in the worker's transaction that marks the event processed
(blog.delivery.worker), one row per subscribed endpoint under a unique (event, type, endpoint):
so every event is queued exactly once, and a delivery's body and `webhook-id` are fixed when it
is queued. Sending is blog.delivery.webhooks.

Addresses. An endpoint is a URL the server will call, so it must not be a way into the
newsroom's own network: only http(s), and every address its host resolves to must be public
(not loopback, private, link-local, reserved or multicast) unless WEBHOOKS_ALLOW_PRIVATE is
set. The check runs at registration and again before every attempt (DNS may change), and the
attempt connects to the address that check resolved, so a second DNS answer cannot send it
elsewhere (DNS rebinding).
"""

from __future__ import annotations

import base64
import ipaddress
import json
import secrets
import socket
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from blog.extensions import db
from blog.models import (
    Comment,
    Event,
    EventKind,
    Post,
    User,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookFormat,
    utcnow,
)
from blog.services.errors import NotFound, ValidationFailed
from blog.services.sql import insert_ignoring_conflicts
from blog.urls import absolute_url, post_url


class UnsafeAddress(ValueError):
    """The URL may not be called: not http(s), unresolvable, or a non-public address."""


# -- endpoints -------------------------------------------------------------------------------

def new_secret() -> str:
    """A Standard Webhooks signing secret: "whsec_" and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def register_endpoint(url: str, events: list[str], *, created_by: User | None,
                      format: str = WebhookFormat.STANDARD.value, secret: str | None = None,
                      description: str = "") -> WebhookEndpoint:
    """Register an endpoint for `events`; refuse a URL the server may not call."""
    try:
        check_url(url)
    except UnsafeAddress as error:
        raise ValidationFailed({"url": [str(error)]}) from None
    endpoint = WebhookEndpoint(
        url=url, events=sorted(set(events)), format=format, secret=secret or new_secret(),
        description=description, created_by_id=created_by.id if created_by else None,
    )
    db.session.add(endpoint)
    db.session.flush()
    return endpoint


def endpoints() -> list[WebhookEndpoint]:
    return list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


def get_endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound("No such webhook endpoint.")
    return endpoint


def delete_endpoint(endpoint_id: int) -> None:
    """Remove the endpoint and its delivery log (nothing more is sent to it)."""
    db.session.delete(get_endpoint(endpoint_id))
    db.session.flush()


#: How long the old secret keeps signing after a rotation, unless told otherwise (and the most).
ROTATION_GRACE = timedelta(hours=24)
MAX_ROTATION_GRACE = timedelta(days=7)


def rotate_secret(endpoint_id: int, *, secret: str | None = None,
                  grace: timedelta = ROTATION_GRACE,
                  now: datetime | None = None) -> WebhookEndpoint:
    """Give the endpoint a new signing secret (`secret`, or a new random one).

    For `grace` after `now`, deliveries carry two signatures, the new secret's and the old
    one's, so the receiver keeps verifying while it switches over (Standard Webhooks lets a
    receiver accept any of the signatures listed). A grace of zero drops the old one at once.
    Rotating again within the grace period retires the oldest secret.
    """
    if not timedelta(0) <= grace <= MAX_ROTATION_GRACE:
        raise ValidationFailed({"grace_seconds": [
            f"Between 0 and {int(MAX_ROTATION_GRACE.total_seconds())} seconds."]})
    endpoint = get_endpoint(endpoint_id)
    new = secret or new_secret()
    if new == endpoint.secret:
        raise ValidationFailed({"secret": ["Give a secret other than the current one."]})
    now = now or utcnow()
    if grace:
        endpoint.previous_secret, endpoint.previous_secret_until = endpoint.secret, now + grace
    else:
        endpoint.previous_secret = endpoint.previous_secret_until = None
    endpoint.secret = new
    db.session.flush()
    return endpoint


def enable_endpoint(endpoint_id: int) -> WebhookEndpoint:
    """Turn a disabled endpoint back on: its queued deliveries go out again."""
    endpoint = get_endpoint(endpoint_id)
    endpoint.disabled_at = None
    endpoint.disabled_reason = ""
    endpoint.consecutive_failures = 0
    db.session.flush()
    return endpoint


def recent_deliveries(endpoint_id: int | None = None, limit: int = 50) -> list[WebhookDelivery]:
    """The delivery log, newest first (one endpoint's, or everyone's)."""
    statement = select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit)
    if endpoint_id is not None:
        statement = statement.where(WebhookDelivery.endpoint_id == endpoint_id)
    return list(db.session.scalars(statement))


def check_url(url: str) -> str | None:
    """Raise UnsafeAddress unless `url` is http(s) to a host the server may call.

    Return the address the host resolved to, every one of them checked, for the sender to
    connect to (blog.delivery.webhooks.aimed_at); None when WEBHOOKS_ALLOW_PRIVATE lets any
    host be called by its name.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeAddress("Give an http:// or https:// URL with a host.")
    if parts.username or parts.password:
        raise UnsafeAddress("Put credentials in the secret, not in the URL.")
    if current_app.config["WEBHOOKS_ALLOW_PRIVATE"]:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as error:
        raise UnsafeAddress(f"The host {parts.hostname} cannot be resolved ({error}).") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    for address in addresses:
        if not address.is_global or address.is_multicast:
            raise UnsafeAddress(
                f"{parts.hostname} resolves to {address}, a loopback, private or reserved "
                "address; webhooks go to public addresses only (WEBHOOKS_ALLOW_PRIVATE).")
    return str(addresses[0])


# -- queueing, from the outbox --------------------------------------------------------------

def webhook_events_of(event: Event) -> list[WebhookEvent]:
    """The webhook types an outbox event stands for."""
    data = event.data or {}
    if event.kind == EventKind.COMMENT_APPROVED:
        if data.get("created"):
            return [WebhookEvent.COMMENT_CREATED, WebhookEvent.COMMENT_APPROVED]
        return [WebhookEvent.COMMENT_APPROVED]
    if event.kind == EventKind.COMMENT_HELD:
        return [WebhookEvent.COMMENT_CREATED, WebhookEvent.COMMENT_HELD]
    if event.kind == EventKind.COMMENT_FLAGGED:
        return [WebhookEvent.COMMENT_FLAGGED]
    if event.kind == EventKind.POST_PUBLISHED:
        return [WebhookEvent.POST_PUBLISHED]
    return []


def queue_deliveries(event: Event, subscribed: list[WebhookEndpoint] | None = None) -> int:
    """Queue one delivery per endpoint subscribed to each of the event's webhook types.

    Disabled endpoints get theirs too, sent once an admin turns them back on. Returns how many.
    """
    types = webhook_events_of(event)
    if not types:
        return 0
    subscribed = endpoints() if subscribed is None else subscribed
    rows = []
    subject = None
    for webhook_event in types:
        for endpoint in subscribed:
            if webhook_event.value not in (endpoint.events or []):
                continue
            if subject is None:
                subject = _subject_of(event)
                if subject is None:
                    return 0  # the comment or post is gone: nothing to tell
            rows.append(_delivery_row(endpoint, event, webhook_event, subject))
    if rows:
        statement = insert_ignoring_conflicts(WebhookDelivery.__table__).on_conflict_do_nothing()
        db.session.execute(statement, rows)
    return len(rows)


def _subject_of(event: Event) -> dict | None:
    if event.kind == EventKind.POST_PUBLISHED:
        post = db.session.get(Post, event.post_id) if event.post_id else None
        return None if post is None else {"post": post_data(post)}
    comment = db.session.get(Comment, event.comment_id) if event.comment_id else None
    return None if comment is None else {"comment": comment_data(comment),
                                         "post": post_data(comment.post)}


def post_data(post: Post) -> dict:
    return {"id": post.id, "slug": post.slug, "title": post.title, "url": post_url(post),
            "status": post.status,
            "author": post.author.display_name if post.author else None}


def comment_data(comment: Comment) -> dict:
    return {
        "id": comment.id, "parent_id": comment.parent_id, "status": comment.status,
        "author": comment.author.display_name if comment.author else None,
        "body": comment.body, "signals": list(comment.signals or []),
        "toxicity": comment.toxicity,
        "created_at": comment.created_at.isoformat(),
        "url": f"{post_url(comment.post)}#comment-{comment.id}",
        "moderation_url": absolute_url("admin.comment_detail", comment_id=comment.id),
    }


def _delivery_row(endpoint: WebhookEndpoint, event: Event, webhook_event: WebhookEvent,
                  subject: dict) -> dict:
    """Due at once: from when the event happened (its time is also the body's timestamp)."""
    happened = event.created_at or utcnow()
    body = render_body(endpoint.format, webhook_event, subject, happened)
    return {"endpoint_id": endpoint.id, "event_id": event.id, "event_type": webhook_event.value,
            "message_id": f"msg_{uuid.uuid4().hex}", "body": body, "status": "queued",
            "attempts": 0, "next_attempt_at": happened, "last_error": "",
            "created_at": utcnow()}


def render_body(format: str, webhook_event: WebhookEvent, subject: dict, now: datetime) -> str:
    """The bytes sent: a Standard Webhooks body, or Slack's {"text": ...}."""
    if format == WebhookFormat.SLACK:
        return json.dumps({"text": slack_text(webhook_event, subject)})
    return json.dumps({"type": webhook_event.value, "timestamp": now.isoformat(),
                       "data": subject})


_SLACK_VERBS = {
    WebhookEvent.COMMENT_CREATED: "New comment",
    WebhookEvent.COMMENT_HELD: "Comment held for moderation",
    WebhookEvent.COMMENT_APPROVED: "Comment approved",
    WebhookEvent.COMMENT_FLAGGED: "Comment flagged by readers",
}


def slack_text(webhook_event: WebhookEvent, subject: dict) -> str:
    """One line in Slack's mrkdwn: what happened, on which post, with the link to act on."""
    post = subject["post"]
    if webhook_event == WebhookEvent.POST_PUBLISHED:
        return f"New post: <{post['url']}|{_slack_escape(post['title'])}>"
    comment = subject["comment"]
    excerpt = _slack_escape((comment["body"] or "")[:200])
    who = _slack_escape(comment["author"] or "Someone")
    signals = f" ({', '.join(comment['signals'])})" if comment["signals"] else ""
    return (f"{_SLACK_VERBS[webhook_event]}{signals} by {who} on "
            f"<{post['url']}|{_slack_escape(post['title'])}>: {excerpt} "
            f"<{comment['moderation_url']}|moderate>")


def _slack_escape(text: str) -> str:
    """Slack's three control characters, escaped as its API asks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
