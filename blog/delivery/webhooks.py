"""Sending webhook deliveries: signed per Standard Webhooks, retried with backoff.

Each delivery is claimed (status `sending`, committed) before its request, as emails are
(blog.delivery.worker), and settled in its own commit after the answer. Up to
WEBHOOKS_CONCURRENCY requests are in flight at once, one per endpoint. A worker killed in
between leaves those deliveries in `sending`; after WEBHOOKS_SEND_LEASE_SECONDS another run
sends them again with the same `webhook-id` and body, which is what the spec asks receivers to
dedupe on. Nothing is lost; at most the deliveries in flight are sent twice, as the same
messages.

The signature is the `standardwebhooks` package's: `webhook-signature` is "v1,<base64 of
HMAC-SHA256 of id.timestamp.body>" with the endpoint's secret.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from collections.abc import Collection
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
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


@dataclass(frozen=True)
class Outgoing:
    """What one request takes, read from its delivery by the thread that owns the session:
    the threads that send touch no ORM object."""

    delivery_id: int
    endpoint_id: int
    url: str
    #: The current secret, and the previous one during a rotation's grace period.
    secrets: tuple[str, ...]
    message_id: str
    body: str

    @classmethod
    def of(cls, delivery: WebhookDelivery, now: datetime) -> Outgoing:
        endpoint = delivery.endpoint
        return cls(delivery.id, endpoint.id, endpoint.url, endpoint.signing_secrets(now),
                   delivery.message_id, delivery.body)


def signed_headers(outgoing: Outgoing, now: datetime) -> dict[str, str]:
    """The Standard Webhooks headers: one `v1,` signature per secret, space-separated."""
    signature = " ".join(Webhook(secret).sign(outgoing.message_id, now, outgoing.body)
                         for secret in outgoing.secrets)
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": outgoing.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


def claim_delivery(now: datetime, skip_endpoints: Collection[int] = ()) -> WebhookDelivery | None:
    """Claim the next due delivery to an enabled endpoint not in `skip_endpoints` (committed as
    `sending`), or None."""
    lease = timedelta(seconds=current_app.config["WEBHOOKS_SEND_LEASE_SECONDS"])
    statement = (
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
    if skip_endpoints:
        statement = statement.where(WebhookDelivery.endpoint_id.not_in(list(skip_endpoints)))
    delivery = db.session.scalar(statement)
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
    """Send due deliveries, up to WEBHOOKS_CONCURRENCY requests at once and one at a time per
    endpoint, none started after `deadline` (time.monotonic()); return (delivered, retried,
    failed).

    A slow endpoint holds one sending thread, not the others' deliveries, and is never sent
    more than one request at a time by a worker. Claims and settlements stay in this thread,
    on its session, each in its own commit as before; the threads only sign and POST.
    """
    outcomes: Counter[DeliveryStatus] = Counter()
    concurrency = max(1, current_app.config["WEBHOOKS_CONCURRENCY"])
    app = current_app._get_current_object()
    in_flight: dict[Future, Outgoing] = {}
    started = 0
    with httpx.Client(timeout=current_app.config["WEBHOOKS_TIMEOUT_SECONDS"],
                      follow_redirects=False) as client, \
            ThreadPoolExecutor(concurrency, thread_name_prefix="webhook") as pool:
        while True:
            while (len(in_flight) < concurrency and started < limit
                   and time.monotonic() < deadline):
                busy = {outgoing.endpoint_id for outgoing in in_flight.values()}
                delivery = claim_delivery(now or utcnow(), skip_endpoints=busy)
                if delivery is None:
                    break
                started += 1
                outgoing = Outgoing.of(delivery, now or utcnow())
                in_flight[pool.submit(_send_in, app, client, outgoing, now)] = outgoing
            if not in_flight:
                break
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                delivery = db.session.get(WebhookDelivery, in_flight.pop(future).delivery_id)
                outcomes[settle(delivery, future.result(), now or utcnow())] += 1
                db.session.commit()
    return (outcomes[DeliveryStatus.DELIVERED], outcomes[DeliveryStatus.QUEUED],
            outcomes[DeliveryStatus.FAILED])


def _send_in(app, client: httpx.Client, outgoing: Outgoing, now: datetime | None) -> Attempt:
    """`send`, on a sending thread: the address check reads the app's settings."""
    with app.app_context():
        return send(client, outgoing, now or utcnow())


def send(client: httpx.Client, outgoing: Outgoing, now: datetime) -> Attempt:
    """POST the delivery's body, signed; say how it went (never raises for the endpoint's sake)."""
    try:
        url, host_header, extensions = aimed_at(outgoing.url, check_url(outgoing.url))
    except UnsafeAddress as error:
        return Attempt(ok=False, error=str(error), permanent=True)
    headers = {**signed_headers(outgoing, now), **host_header}
    try:
        response = client.post(url, content=outgoing.body.encode(), headers=headers,
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
