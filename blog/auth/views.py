"""The sign-in, sign-up and sign-out pages."""

from __future__ import annotations

from urllib.parse import urlsplit

import marshmallow as ma
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user

from blog.auth.api import start_session
from blog.auth.schemas import RegisterSchema
from blog.auth.throttle import login_account_key, login_account_limit, login_limit, register_limit
from blog.extensions import limiter
from blog.services import accounts
from blog.services.errors import ServiceError

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Return `target` if it is a path on this site, else the front page (no open redirect)."""
    if not target:
        return url_for("posts.front_page")
    target = target.replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("posts.front_page")
    return target


@bp.route("/login", methods=["GET"])
def login_page():
    """Show the sign-in form."""
    return render_template("auth/login.html", next=request.args.get("next", ""))


@bp.route("/login", methods=["POST"])
@limiter.limit(login_limit)
@limiter.limit(login_account_limit, key_func=login_account_key)
def login_submit():
    """Sign in from the form."""
    user = accounts.authenticate(request.form.get("email", ""), request.form.get("password", ""))
    if user is None:
        flash("The email or password is not right.", "error")
        page = render_template("auth/login.html", next=request.form.get("next", ""),
                               email=request.form.get("email", ""))
        return page, 401
    start_session(user)
    return redirect(safe_next(request.form.get("next")))


@bp.route("/register", methods=["GET"])
def register_page():
    """Show the sign-up form."""
    return render_template("auth/register.html", form={}, errors={})


@bp.route("/register", methods=["POST"])
@limiter.limit(register_limit)
def register_submit():
    """Create an account from the form."""
    form = {key: request.form.get(key, "") for key in ("email", "password", "display_name")}
    try:
        data = RegisterSchema().load(form)
        user = accounts.register_user(data["email"], data["password"], data["display_name"])
    except ma.ValidationError as error:
        return _register_again(form, error.messages)
    except ServiceError as error:
        return _register_again(form, error.messages_for("email"))
    start_session(user)
    flash("Welcome! You are signed in.", "success")
    return redirect(url_for("posts.front_page"))


def _register_again(form: dict, errors: dict):
    form = {**form, "password": ""}
    return render_template("auth/register.html", form=form, errors=errors), 422


@bp.route("/logout", methods=["GET"])
def logout_page():
    """Show a button to sign out (a GET never signs anybody out)."""
    return render_template("auth/logout.html")


@bp.route("/logout", methods=["POST"])
def logout_submit():
    """Sign out."""
    if current_user.is_authenticated:
        logout_user()
    flash("You are signed out.", "success")
    return redirect(url_for("posts.front_page"))
