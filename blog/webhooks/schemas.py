"""Bodies in and out of /api/v1/webhooks."""

from __future__ import annotations

import base64
import binascii

import marshmallow as ma

from blog.api.fields import CleanText
from blog.models import WebhookEvent, WebhookFormat
from blog.services.webhooks import MAX_ROTATION_GRACE, ROTATION_GRACE

EVENT_NAMES = [event.value for event in WebhookEvent]
FORMATS = [format.value for format in WebhookFormat]


def check_secret(value: str) -> None:
    """A Standard Webhooks secret: "whsec_" (optional) and base64 of 24 to 64 bytes."""
    raw = value.removeprefix("whsec_")
    try:
        key = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise ma.ValidationError("Give \"whsec_\" and base64.") from None
    if not 24 <= len(key) <= 64:
        raise ma.ValidationError("The secret must be 24 to 64 bytes.")


SECRET_DESCRIPTION = ("Signing secret, \"whsec_\" + base64 of 24 to 64 bytes; left out, one is "
                      "made and returned once")


class WebhookCreateSchema(ma.Schema):
    url = ma.fields.String(required=True, validate=[
        ma.validate.Length(max=2048),
        ma.validate.URL(schemes={"http", "https"}, require_tld=False),
    ], metadata={"description": "http(s) URL; public addresses only unless "
                                "WEBHOOKS_ALLOW_PRIVATE is set"})
    events = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(EVENT_NAMES)), required=True,
        validate=ma.validate.Length(min=1, max=len(EVENT_NAMES)),
        metadata={"description": f"Any of: {', '.join(EVENT_NAMES)}"})
    format = ma.fields.String(load_default=WebhookFormat.STANDARD.value,
                              validate=ma.validate.OneOf(FORMATS), metadata={
                                  "description": "standard (type, timestamp, data) or slack "
                                                 "({text}, for a Slack incoming webhook)"})
    secret = ma.fields.String(load_default=None, validate=check_secret,
                              metadata={"description": SECRET_DESCRIPTION})
    description = CleanText(load_default="", validate=ma.validate.Length(max=200))


class WebhookSchema(ma.Schema):
    id = ma.fields.Integer()
    url = ma.fields.String()
    events = ma.fields.List(ma.fields.String())
    format = ma.fields.String()
    description = ma.fields.String()
    active = ma.fields.Boolean()
    consecutive_failures = ma.fields.Integer()
    disabled_at = ma.fields.DateTime(allow_none=True)
    disabled_reason = ma.fields.String()
    created_at = ma.fields.DateTime()
    previous_secret_until = ma.fields.DateTime(allow_none=True, metadata={
        "description": "After a rotation: until then, deliveries are signed with the previous "
                       "secret too"})


class WebhookCreatedSchema(WebhookSchema):
    secret = ma.fields.String(metadata={"description": "Shown only in this answer"})


class WebhookRotateSchema(ma.Schema):
    secret = ma.fields.String(load_default=None, validate=check_secret,
                              metadata={"description": SECRET_DESCRIPTION})
    grace_seconds = ma.fields.Integer(
        load_default=int(ROTATION_GRACE.total_seconds()),
        validate=ma.validate.Range(min=0, max=int(MAX_ROTATION_GRACE.total_seconds())), metadata={
        "description": "How long the previous secret keeps signing as well (0: not at all)"})


class WebhookListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(WebhookSchema))


class DeliverySchema(ma.Schema):
    id = ma.fields.Integer()
    event_type = ma.fields.String()
    webhook_id = ma.fields.String(attribute="message_id")
    status = ma.fields.String(metadata={"description": "queued, sending, delivered or failed"})
    attempts = ma.fields.Integer()
    last_status_code = ma.fields.Integer(allow_none=True)
    last_error = ma.fields.String()
    created_at = ma.fields.DateTime()
    next_attempt_at = ma.fields.DateTime()
    delivered_at = ma.fields.DateTime(allow_none=True)


class DeliveryListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(DeliverySchema))
