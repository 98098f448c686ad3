"""Sign-in throttling: per client address, and per account against attacks spread over many."""

from __future__ import annotations

from flask import current_app, request

from blog.services.accounts import normalize_email


def login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def login_account_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN_ACCOUNT"]


def register_limit() -> str:
    return current_app.config["RATELIMIT_REGISTER"]


def sso_limit() -> str:
    return current_app.config["RATELIMIT_SSO"]


def password_reset_limit() -> str:
    return current_app.config["RATELIMIT_PASSWORD_RESET"]


def password_reset_address_limit() -> str:
    return current_app.config["RATELIMIT_PASSWORD_RESET_ADDRESS"]


def submitted_email() -> str:
    """Return the normalised `email` of a JSON body or a form ("" when there is none)."""
    try:
        source = request.get_json(silent=True) if request.is_json else request.form
    except RecursionError:  # nested too deeply: refused later by blog.web.check_json_body
        source = None
    email = source.get("email") if hasattr(source, "get") else None
    return normalize_email(email) if isinstance(email, str) else ""


def login_account_key() -> str:
    """Key sign-in attempts by the email they try, from a JSON body or a form."""
    return "login-account:" + submitted_email()


def password_reset_address_key() -> str:
    """Key reset requests by the address asked for, so one inbox cannot be flooded."""
    return "password-reset-address:" + submitted_email()
