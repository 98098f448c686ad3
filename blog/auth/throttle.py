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


def login_account_key() -> str:
    """Key sign-in attempts by the email they try, from a JSON body or a form."""
    try:
        source = request.get_json(silent=True) if request.is_json else request.form
    except RecursionError:  # nested too deeply: refused later by blog.web.check_json_body
        source = None
    email = source.get("email") if hasattr(source, "get") else None
    return "login-account:" + (normalize_email(email) if isinstance(email, str) else "")
