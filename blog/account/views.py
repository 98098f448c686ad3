"""/account: a signed-in reader's name, password, email preference, data export and deletion.

Each form loads its input with the API's schema and calls the same service as the API does.
"""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, logout_user

from blog.auth.api import start_session
from blog.auth.forms import load_form
from blog.auth.schemas import (
    DISPLAY_NAME_MAX,
    DeleteAccountSchema,
    ExportSchema,
    PasswordChangeSchema,
    ProfileSchema,
)
from blog.auth.security import login_required_api
from blog.auth.throttle import login_limit
from blog.extensions import limiter
from blog.follows.schemas import PreferencesSchema
from blog.models import EmailPreference, utcnow
from blog.services import accounts, follows, privacy
from blog.services.errors import ServiceError

bp = Blueprint("account", __name__)

EMAIL_CHOICES = (
    (EmailPreference.IMMEDIATE.value, "Right away, one email per notification"),
    (EmailPreference.DAILY.value, "Once a day, in a digest"),
    (EmailPreference.OFF.value, "Never (notifications stay on the site)"),
)


def _user():
    return current_user._get_current_object()


def _settings(errors: dict | None = None, status: int = 200, **values):
    page = render_template(
        "account/settings.html", errors=errors or {}, email_choices=EMAIL_CHOICES,
        preferences=follows.get_preferences(current_user.id), name_max=DISPLAY_NAME_MAX,
        display_name=values.get("display_name", current_user.display_name))
    return page, status


@bp.route("/account", methods=["GET"])
@login_required_api
def settings_page():
    """Show my account settings."""
    return _settings()


@bp.route("/account/name", methods=["POST"])
@login_required_api
def change_name():
    """Change my display name from the form."""
    try:
        data = load_form(ProfileSchema(), ("display_name",),
                         {"display_name": "Enter a display name."})
        accounts.rename_user(_user(), data["display_name"])
    except ServiceError as error:
        return _settings(error.errors, 422, display_name=request.form.get("display_name", ""))
    flash(f"Your display name is now {current_user.display_name}.", "success")
    return redirect(url_for("account.settings_page"))


@bp.route("/account/password", methods=["POST"])
@login_required_api
@limiter.limit(login_limit)
def change_password():
    """Change my password from the form; my other sessions are signed out."""
    try:
        data = load_form(PasswordChangeSchema(), ("current_password", "new_password"),
                         {"current_password": "Enter your current password.",
                          "new_password": "Enter a new password."})
        accounts.change_own_password(_user(), data["current_password"], data["new_password"])
    except ServiceError as error:
        errors = error.messages_for("current_password")
        if "password" in errors:  # the service names the rule's field as registration does
            errors["new_password"] = errors.pop("password")
        return _settings(errors, 422)
    start_session(_user())
    flash("Your password is changed. Any other session is signed out.", "success")
    return redirect(url_for("account.settings_page"))


@bp.route("/account/email", methods=["POST"])
@login_required_api
def change_email_preference():
    """Choose how often notifications are emailed to me."""
    try:
        data = load_form(PreferencesSchema(), ("email",),
                         {"email": "Choose how often we may email you."})
    except ServiceError as error:
        return _settings(error.errors, 422)
    follows.update_preferences(_user(), data)
    chosen = dict(EMAIL_CHOICES)[data["email"]]
    flash(f"Email notifications: {chosen[0].lower() + chosen[1:]}.", "success")
    return redirect(url_for("account.settings_page"))


@bp.route("/account/export", methods=["GET"])
@login_required_api
def download_data():
    """Download everything held about me, as a JSON file (the same as GET /api/v1/me/export)."""
    export = ExportSchema().dump(privacy.export_user(_user()))
    filename = f"daily-ledger-account-{current_user.id}-{utcnow():%Y-%m-%d}.json"
    return Response(json.dumps(export, indent=2, ensure_ascii=False), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "private, no-store"})


@bp.route("/account/delete", methods=["GET"])
@login_required_api
def delete_page():
    """Ask for the password before deleting the account."""
    return render_template("account/delete.html", errors={})


@bp.route("/account/delete", methods=["POST"])
@login_required_api
def delete_account():
    """Delete my account once the password confirms it, and sign out."""
    try:
        data = load_form(DeleteAccountSchema(), ("password",),
                         {"password": "Enter your password to confirm."})
        privacy.delete_account(_user(), data["password"])
    except ServiceError as error:
        field = "password" if error.status in (403, 422) else "account"
        errors = error.messages_for(field)
        return render_template("account/delete.html", errors=errors), error.status
    logout_user()
    session.clear()
    flash("Your account is deleted. Thank you for reading.", "success")
    return redirect(url_for("posts.front_page"))
