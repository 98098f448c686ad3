"""The password reset pages: ask for a link by email, then set a new password with it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from blog.auth.api import RESET_SENT, start_session
from blog.auth.forms import load_form
from blog.auth.schemas import PasswordResetConfirmSchema, PasswordResetRequestSchema
from blog.auth.throttle import (
    password_reset_address_key,
    password_reset_address_limit,
    password_reset_limit,
)
from blog.extensions import limiter
from blog.services import password_reset
from blog.services.errors import ValidationFailed

bp = Blueprint("password_reset", __name__)
NO_STORE = {"Cache-Control": "no-store"}


@bp.route("/password-reset", methods=["GET"])
def request_page():
    """Show the form that asks for a reset link."""
    return render_template("auth/password_reset.html", errors={}, email="")


@bp.route("/password-reset", methods=["POST"])
@limiter.limit(password_reset_limit)
@limiter.limit(password_reset_address_limit, key_func=password_reset_address_key)
def request_submit():
    """Mail a reset link; the page says the same whether or not the address has an account."""
    try:
        data = load_form(PasswordResetRequestSchema(), ("email",),
                         {"email": "Enter your email address."})
    except ValidationFailed as error:
        page = render_template("auth/password_reset.html", errors=error.errors,
                               email=request.form.get("email", ""))
        return page, 422
    password_reset.request_reset(data["email"])
    return render_template("auth/password_reset_sent.html", message=RESET_SENT)


@bp.route("/password-reset/<token>", methods=["GET"])
def new_password_page(token: str):
    """Show the new-password form for a live link (a GET never uses the link up)."""
    try:
        password_reset.user_for_token(token)
    except ValidationFailed as error:
        return _bad_link(error)
    return render_template("auth/new_password.html", token=token, errors={}), 200, NO_STORE


@bp.route("/password-reset/<token>", methods=["POST"])
@limiter.limit(password_reset_limit)
def new_password_submit(token: str):
    """Set the new password, sign in, and go to the account page."""
    try:
        data = load_form(PasswordResetConfirmSchema(), ("password",),
                         {"password": "Enter a new password."}, extra={"token": token})
    except ValidationFailed as error:
        if "token" in error.errors:
            return _bad_link(error)
        page = render_template("auth/new_password.html", token=token, errors=error.errors)
        return page, 422, NO_STORE
    try:
        user = password_reset.reset_password(token, data["password"])
    except ValidationFailed as error:
        if "token" in error.errors:
            return _bad_link(error)
        page = render_template("auth/new_password.html", token=token, errors=error.errors)
        return page, 422, NO_STORE
    start_session(user)
    flash("Your password is changed, and you are signed in.", "success")
    return redirect(url_for("account.settings_page"))


def _bad_link(error: ValidationFailed):
    page = render_template("auth/password_reset_bad_link.html", message=error.errors["token"][0])
    return page, 400, NO_STORE
