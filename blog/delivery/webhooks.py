"""Sending webhook deliveries: signed per Standard Webhooks, retried with backoff.

Each delivery is claimed (status `sending`, committed) before its request, as emails are
(blog.delivery.worker), and settled in its own commit after the answer. A worker killed in
between leaves that one delivery in `sending`; after WEBHOOKS_SEND_LEASE_SECONDS another run
sends it again with the same `webhook-id` and body, which is what the spec asks receivers to
dedupe on. Nothing is lost; at most the one delivery in flight is sent twice, as the same
message.

The signature is the `standardwebhooks` package's: `webhook-signature` is "v1,<base64 of
HMAC-SHA256 of id.timestamp.body>" with the endpoint's secret.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from flask import current_app
from sqlalchemy import and_, or_, select, update
from standardwebhooks.webhooks import Webhook

from blog.delivery.backoff import backoff
from blog.extensions import db
from blog.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, utcnow
from blog.services import notifications
from blog.services.webhooks import UnsafeAddress, check_url

log = logging.getLogger(__name__)
USER_AGENT = "NewsroomComments-Webhooks/1"


@dataclass
class Attempt:
    """What one request came to: `status_code` None when no answer arrived."""

    ok: bool
    status_code: int | None = None
    error: str = ""
    permanent: bool = False


def signed_headers(delivery: WebhookDelivery, secret: str, now: datetime) -> dict[str, str]:
    signature = Webhook(secret).sign(delivery.message_id, now, delivery.body)
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


def claim_delivery(now: datetime) -> WebhookDelivery | None:
    """Claim the next due delivery to an enabled endpoint (committed as `sending`), or None."""
    lease = timedelta(seconds=current_app.config["WEBHOOKS_SEND_LEASE_SECONDS"])
    delivery = db.session.scalar(
        select(WebhookDelivery)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookEndpoint.disabled_at.is_(None))
        .where(or_(
            and_(WebhookDelivery.status == DeliveryStatus.QUEUED.value,
                 WebhookDelivery.next_attempt_at <= now),
            and_(WebhookDelivery.status == DeliveryStatus.SENDING.value,
                 WebhookDelivery.claimed_at <= now - lease),
        ))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(1).with_for_update(skip_locked=True, of=WebhookDelivery)
    )
    if delivery is None:
        db.session.commit()
        return None
    delivery.status = DeliveryStatus.SENDING.value
    delivery.claimed_at = now
    delivery.attempts += 1
    db.session.commit()
    return delivery


def send_due_webhooks(now: datetime | None = None, limit: int = 100,
                      deadline: float = math.inf) -> tuple[int, int, int]:
    """Send due deliveries one by one, none started after `deadline` (time.monotonic());
    return (delivered, retried, failed)."""
    delivered = retried = failed = 0
    with httpx.Client(timeout=current_app.config["WEBHOOKS_TIMEOUT_SECONDS"],
                      follow_redirects=False) as client:
        for _ in range(limit):
            if time.monotonic() >= deadline:
                break
            delivery = claim_delivery(now or utcnow())
            if delivery is None:
                break
            outcome = settle(delivery, send(client, delivery, now or utcnow()), now or utcnow())
            db.session.commit()
            delivered += outcome == DeliveryStatus.DELIVERED
            retried += outcome == DeliveryStatus.QUEUED
            failed += outcome == DeliveryStatus.FAILED
    return delivered, retried, failed


def send(client: httpx.Client, delivery: WebhookDelivery, now: datetime) -> Attempt:
    """POST the delivery's body, signed; say how it went (never raises for the endpoint's sake)."""
    endpoint = delivery.endpoint
    try:
        url, host_header, extensions = aimed_at(endpoint.url, check_url(endpoint.url))
    except UnsafeAddress as error:
        return Attempt(ok=False, error=str(error), permanent=True)
    headers = {**signed_headers(delivery, endpoint.secret, now), **host_header}
    try:
        response = client.post(url, content=delivery.body.encode(), headers=headers,
                               extensions=extensions)
    except httpx.HTTPError as error:
        return Attempt(ok=False, error=f"{type(error).__name__}: {error}"[:500])
    if response.is_success:
        return Attempt(ok=True, status_code=response.status_code)
    return Attempt(ok=False, status_code=response.status_code,
                   error=f"HTTP {response.status_code}: {response.text[:200]}",
                   permanent=response.status_code == 410)


def aimed_at(url: str, address: str | None) -> tuple[httpx.URL, dict, dict]:
    """Return the URL, Host header and httpx extensions that send a request for `url` to the
    `address` the safety check resolved, rather than to whatever the next DNS answer says.

    Between the check and a connection by name, a host can be re-pointed at a private address
    (DNS rebinding). Connecting to the checked address closes that gap; the Host header keeps
    the name for the endpoint's routing, and `sni_hostname` keeps it for TLS, whose
    certificate is then checked against the name as usual.
    """
    target = httpx.URL(url)
    if address is None or target.host == address:
        return target, {}, {}
    name = target.raw_host.decode("ascii")
    extensions = {"sni_hostname": name} if target.scheme == "https" else {}
    return target.copy_with(host=address), {"Host": target.netloc.decode("ascii")}, extensions


def settle(delivery: WebhookDelivery, attempt: Attempt, now: datetime) -> DeliveryStatus:
    """Record the attempt on the delivery and its endpoint; return the delivery's new status."""
    delivery.last_status_code = attempt.status_code
    delivery.last_error = attempt.error
    endpoint = delivery.endpoint
    if attempt.ok:
        delivery.status = DeliveryStatus.DELIVERED.value
        delivery.delivered_at = now
        endpoint.consecutive_failures = 0
        return DeliveryStatus.DELIVERED
    config = current_app.config
    gives_up = attempt.permanent or delivery.attempts >= config["WEBHOOKS_MAX_ATTEMPTS"]
    if gives_up:
        delivery.status = DeliveryStatus.FAILED.value
    else:
        delivery.status = DeliveryStatus.QUEUED.value
        delivery.next_attempt_at = now + backoff(
            delivery.attempts, config["WEBHOOKS_RETRY_BASE_SECONDS"],
            config["WEBHOOKS_RETRY_MAX_SECONDS"])
    failures = _count_failure(endpoint)
    if attempt.status_code == 410:
        disable(endpoint, "The endpoint answered 410 Gone.", now)
    elif failures >= config["WEBHOOKS_DISABLE_AFTER"]:
        disable(endpoint, f"{failures} failed attempts in a row; the last: {attempt.error}", now)
    log.info("webhook %s to %s failed (%s)", delivery.message_id, endpoint.url, attempt.error)
    return DeliveryStatus(delivery.status)


def _count_failure(endpoint: WebhookEndpoint) -> int:
    """Add one failure atomically (workers may fail on the same endpoint at once)."""
    column = WebhookEndpoint.consecutive_failures
    failures = db.session.execute(
        update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint.id)
        .values(consecutive_failures=column + 1).returning(column)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    endpoint.consecutive_failures = failures
    return failures


def disable(endpoint: WebhookEndpoint, reason: str, now: datetime) -> None:
    """Stop sending to the endpoint and tell every admin, once per disabling."""
    if endpoint.disabled_at is not None:
        return
    endpoint.disabled_at = now
    endpoint.disabled_reason = reason[:300]
    db.session.flush()
    notifications.tell_admins_webhook_disabled(endpoint)
    log.warning("webhook endpoint %s (%s) disabled: %s", endpoint.id, endpoint.url, reason)
