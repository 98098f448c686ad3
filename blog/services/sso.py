"""Single sign-on with the host site's own accounts: a JWT the site signs for its reader.

The site signs `{sub, name, iat, exp[, email, avatar]}` with SSO_SECRET (HS256) or with the
private key of SSO_PUBLIC_KEY (RS256 or ES256). The reader's account here is keyed by the token's
issuer and subject, so the same reader is the same account on every visit; their name, email and
avatar follow the site's. Roles are never taken from the token: an SSO reader is a reader until a
moderator here decides otherwise.
"""

from __future__ import annotations

import time
from typing import Any

import jwt
import marshmallow as ma
from flask import current_app
from sqlalchemy import delete, select

from blog.api.fields import CleanText
from blog.extensions import db
from blog.models import ApiToken, Role, User
from blog.services.accounts import create_api_token, normalize_email
from blog.services.errors import Unauthorized

REQUIRED_CLAIMS = ["sub", "name", "exp", "iat"]
#: Seconds of clock difference forgiven between the site and this service.
LEEWAY_SECONDS = 30
#: Accounts of SSO readers are filed under "sso:<the token's iss>", apart from imported authors
#: ("import:...") and the service's own accounts ("system"), whatever a token claims.
ISSUER_PREFIX = "sso:"
TOKEN_NAME = "sso"
#: Bearer tokens an SSO reader keeps (one per browser that signed in); older ones end.
TOKENS_KEPT = 10


class ClaimsSchema(ma.Schema):
    """The claims this service reads; others are ignored."""

    class Meta:
        unknown = ma.EXCLUDE

    sub = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=255))
    name = CleanText(required=True, strict_name=True, validate=ma.validate.Length(min=1, max=80))
    iss = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    email = ma.fields.Email(load_default=None, allow_none=True,
                            validate=ma.validate.Length(max=254))
    avatar = ma.fields.Url(load_default=None, allow_none=True, schemes={"http", "https"},
                           validate=ma.validate.Length(max=2048))


def verify_token(token: str) -> dict[str, Any]:
    """Return the checked claims of `token`; raise Unauthorized for any token not to be trusted."""
    config = current_app.config
    key, algorithms = _verification_key(config)
    options = {"require": REQUIRED_CLAIMS, "verify_aud": bool(config["SSO_AUDIENCE"]),
               "verify_iss": bool(config["SSO_ISSUER"])}
    try:
        claims = jwt.decode(token, key, algorithms=algorithms, options=options,
                            audience=config["SSO_AUDIENCE"] or None,
                            issuer=config["SSO_ISSUER"] or None, leeway=LEEWAY_SECONDS)
    except jwt.PyJWTError as error:
        raise Unauthorized(f"The sign-in token is not valid: {error}") from None
    if time.time() - claims["iat"] > config["SSO_MAX_AGE_SECONDS"] + LEEWAY_SECONDS:
        raise Unauthorized("The sign-in token is too old; the site must sign a new one.")
    try:
        return ClaimsSchema().load(claims)
    except ma.ValidationError as error:
        raise Unauthorized(f"The sign-in token's claims are not valid: {sorted(error.messages)}"
                           ) from None


def _verification_key(config) -> tuple[str, list[str]]:
    """Return the key and the only algorithms it may verify (never `none`, never mixed)."""
    if config["SSO_PUBLIC_KEY"]:
        return config["SSO_PUBLIC_KEY"], ["RS256", "ES256"]
    if config["SSO_SECRET"]:
        return config["SSO_SECRET"], ["HS256"]
    raise Unauthorized("Single sign-on is not set up on this site.")


def sign_in(token: str) -> User:
    """Return the account of the reader `token` names, made or brought up to date."""
    claims = verify_token(token)
    issuer = ISSUER_PREFIX + claims["iss"]
    user = db.session.scalar(select(User).where(
        User.external_issuer == issuer, User.external_subject == claims["sub"]))
    if user is None:
        user = User(external_issuer=issuer, external_subject=claims["sub"], password_hash="",
                    role=Role.READER.value, display_name=claims["name"])
        db.session.add(user)
    user.display_name = claims["name"]
    user.avatar_url = claims["avatar"]
    _take_email(user, claims["email"])
    db.session.flush()
    return user


def _take_email(user: User, email: str | None) -> None:
    """Keep the site's email for the reader, unless another account here already uses it.

    An existing account with that address is not merged: the site's token proves the site's
    account, not ownership of an account made here with a password.
    """
    if email is None:
        return
    address = normalize_email(email)
    owner = db.session.scalar(select(User.id).where(User.email == address))
    if owner is None or owner == user.id:
        user.email = address


def issue_token(user: User) -> str:
    """Make a bearer token for `user`'s browser; end their oldest SSO tokens past TOKENS_KEPT."""
    token = create_api_token(user, TOKEN_NAME)
    kept = select(ApiToken.id).where(ApiToken.user_id == user.id, ApiToken.name == TOKEN_NAME
                                     ).order_by(ApiToken.id.desc()).limit(TOKENS_KEPT)
    db.session.execute(delete(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.name == TOKEN_NAME,
        ApiToken.id.not_in(kept.scalar_subquery())))
    return token
