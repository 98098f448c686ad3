"""Bodies in and out of the auth and account endpoints."""

from __future__ import annotations

import marshmallow as ma

from blog.api.fields import CleanText
from blog.services.accounts import MIN_PASSWORD_LENGTH

PASSWORD_MAX = 1024
PASSWORD = ma.validate.Length(
    min=MIN_PASSWORD_LENGTH, max=PASSWORD_MAX,
    error=f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters "
          f"(and at most {PASSWORD_MAX:,}).")
DISPLAY_NAME_MAX = 80


def display_name_field() -> CleanText:
    return CleanText(required=True, strict_name=True,
                     validate=ma.validate.Length(
                         min=1, max=DISPLAY_NAME_MAX,
                         error=f"Keep your display name to {DISPLAY_NAME_MAX} characters."))


class RegisterSchema(ma.Schema):
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))
    password = ma.fields.String(required=True, load_only=True, validate=PASSWORD)
    display_name = display_name_field()


class LoginSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(max=254))
    password = ma.fields.String(required=True, load_only=True,
                                validate=ma.validate.Length(max=1024))


class ProfileSchema(ma.Schema):
    display_name = display_name_field()


class PasswordResetRequestSchema(ma.Schema):
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254),
                            metadata={"description": "The account's email address"})


class PasswordResetConfirmSchema(ma.Schema):
    token = ma.fields.String(required=True, load_only=True,
                             validate=ma.validate.Length(min=1, max=1000),
                             metadata={"description": "The token of the emailed link"})
    password = ma.fields.String(required=True, load_only=True, validate=PASSWORD,
                                metadata={"description": "The new password"})


class UserSchema(ma.Schema):
    id = ma.fields.Integer()
    display_name = ma.fields.String()
    role = ma.fields.String()


class MeSchema(UserSchema):
    email = ma.fields.String()
    created_at = ma.fields.DateTime()


class CsrfSchema(ma.Schema):
    csrf_token = ma.fields.String()


class TokenRequestSchema(ma.Schema):
    name = CleanText(required=True, validate=ma.validate.Length(min=1, max=80))


class TokenSchema(ma.Schema):
    token = ma.fields.String(metadata={"description": "Shown once; send as `Bearer <token>`."})
    name = ma.fields.String()


class DeleteAccountSchema(ma.Schema):
    password = ma.fields.String(required=True, load_only=True,
                                validate=ma.validate.Length(min=1, max=1024),
                                metadata={"description": "The account's password, to confirm"})


def _rows(description: str) -> ma.fields.List:
    return ma.fields.List(ma.fields.Dict(), metadata={"description": description})


class ExportSchema(ma.Schema):
    """Everything the service holds about the caller; each section lists rows as stored
    (column name to value), never password or token hashes."""

    exported_at = ma.fields.String(metadata={"description": "When the export was made (UTC)"})
    account = ma.fields.Dict(metadata={
        "description": "`id`, `email`, `display_name`, `role`, `created_at`"})
    comments = _rows("Comments written: `id`, `post_id`, `parent_id`, `body`, `body_html`, "
                     "`status`, `score`, `created_at`, `edited_at`, `deleted_at`, ...")
    votes = _rows("Votes cast: `comment_id`, `value`, `created_at`")
    flags = _rows("Flags raised: `comment_id`, `reason`, `note`, `created_at`, `cleared_at`")
    follows = _rows("Follows: `post_id`, `author_id` or `tag_id`, `level`, `created_at`")
    notifications = _rows("Notifications received: `kind`, `reason`, `post_id`, `comment_id`, "
                          "`actor_id`, `created_at`, `read_at`")
    preferences = _rows("Notification preferences (none: the defaults): `email`, "
                        "`auto_follow`, `digest_sent_at`")
    tokens = _rows("API tokens by name (`id`, `name`, `created_at`); never the token")
    bans = _rows("Bans on the account: `reason`, `until`, `shadow`, `created_at`")
    moderation_log = _rows("Moderation decisions about the account or its comments: "
                           "`action`, `comment_id`, `status_before`, `status_after`, `reason`")
    posts = _rows("Posts written (authors)")
    subscriptions = _rows("Email subscriptions to the account's address, with `tags`")
    emails = _rows("Emails queued or sent to the account or its address (without their "
                   "tokens)")
    email_suppressions = _rows("The address, if mail to it bounced")
    other = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.List(ma.fields.Dict()),
        metadata={"description": "Rows of any further table that names the account, by table"},
    )


class PasswordChangeSchema(ma.Schema):
    current_password = ma.fields.String(required=True, load_only=True,
                                        validate=ma.validate.Length(max=1024))
    new_password = ma.fields.String(required=True, load_only=True, validate=PASSWORD)


class SsoRequestSchema(ma.Schema):
    token = ma.fields.String(required=True, load_only=True,
                             validate=ma.validate.Length(min=1, max=8192),
                             metadata={"description": "A JWT signed by the host site"})


class SsoUserSchema(UserSchema):
    avatar_url = ma.fields.String(allow_none=True)


class SsoSessionSchema(ma.Schema):
    token = ma.fields.String(metadata={"description": "A bearer token for this reader"})
    user = ma.fields.Nested(SsoUserSchema)
