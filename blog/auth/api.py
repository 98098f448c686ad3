"""The auth and account API: /api/v1/auth/* and /api/v1/me (with the export and deletion)."""

from __future__ import annotations

from flask import session
from flask_login import current_user, login_user, logout_user
from flask_smorest import abort
from flask_wtf.csrf import generate_csrf

from blog.api.blueprint import Blueprint
from blog.auth.schemas import (
    CsrfSchema,
    DeleteAccountSchema,
    ExportSchema,
    LoginSchema,
    MeSchema,
    PasswordChangeSchema,
    PasswordResetConfirmSchema,
    PasswordResetRequestSchema,
    ProfileSchema,
    RegisterSchema,
    SsoRequestSchema,
    SsoSessionSchema,
    TokenRequestSchema,
    TokenSchema,
    UserSchema,
)
from blog.auth.security import login_required_api
from blog.auth.throttle import (
    login_account_key,
    login_account_limit,
    login_limit,
    password_reset_address_key,
    password_reset_address_limit,
    password_reset_limit,
    register_limit,
    sso_limit,
)
from blog.extensions import limiter
from blog.services import accounts, password_reset, privacy, sso
from blog.subscriptions.schemas import AcceptedSchema

bp = Blueprint("auth_api", __name__, url_prefix="/api/v1", description="Accounts and sign-in")


def start_session(user) -> None:
    """Sign `user` in on a fresh session (a new session id stops session fixation)."""
    session.clear()
    login_user(user)


@bp.route("/auth/register", methods=["POST"])
@limiter.limit(register_limit)
@bp.arguments(RegisterSchema)
@bp.response(201, UserSchema)
@bp.alt_response(409, response="CONFLICT")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def register(data):
    """Create a reader account and sign in."""
    user = accounts.register_user(data["email"], data["password"], data["display_name"])
    start_session(user)
    return user


@bp.route("/auth/login", methods=["POST"])
@limiter.limit(login_limit)
@limiter.limit(login_account_limit, key_func=login_account_key)
@bp.arguments(LoginSchema)
@bp.response(200, UserSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def login(data):
    """Sign in with email and password; the answer never says which of the two was wrong."""
    user = accounts.authenticate(data["email"], data["password"])
    if user is None:
        abort(401, message="The email or password is not right.")
    start_session(user)
    return user


@bp.route("/auth/sso", methods=["POST"])
@limiter.limit(sso_limit)
@bp.arguments(SsoRequestSchema)
@bp.response(200, SsoSessionSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def sso_sign_in(data):
    """Sign a reader of the host site in with a token it signed (JWT); answer a bearer token.

    The same site reader is the same account every time; a changed name is taken over. Any
    token that cannot be trusted (no or another algorithm, wrong key, expired, issued in the
    future or too long ago, a claim missing) is a 401, and nothing is made.
    """
    user = sso.sign_in(data["token"])
    start_session(user)
    return {"token": sso.issue_token(user), "user": user}


@bp.route("/auth/logout", methods=["POST"])
@login_required_api
@bp.response(204)
@bp.alt_response(401, response="UNAUTHORIZED")
def logout():
    """Sign out of this session."""
    logout_user()
    session.clear()


@bp.route("/auth/csrf", methods=["GET"])
@bp.response(200, CsrfSchema)
def csrf_token():
    """Give the token that cookie-authenticated unsafe requests send as `X-CSRF-Token`."""
    return {"csrf_token": generate_csrf()}


@bp.route("/me", methods=["GET"])
@login_required_api
@bp.response(200, MeSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
def me():
    """Show the signed-in account."""
    return current_user


@bp.route("/me/tokens", methods=["POST"])
@login_required_api
@bp.arguments(TokenRequestSchema)
@bp.response(201, TokenSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
def create_token(data):
    """Make a bearer token for scripts; it is shown only in this answer."""
    return {"token": accounts.create_api_token(current_user, data["name"]), "name": data["name"]}


@bp.route("/me/export", methods=["GET"])
@login_required_api
@bp.response(200, ExportSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
def export():
    """Download everything the service holds about the signed-in account."""
    return privacy.export_user(current_user), 200, {"Cache-Control": "private, no-store"}


@bp.route("/me", methods=["DELETE"])
@login_required_api
@bp.arguments(DeleteAccountSchema)
@bp.response(204)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(409, response="CONFLICT")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def delete_me(data):
    """Delete the account (password to confirm); comments with replies stay as placeholders."""
    privacy.delete_account(current_user, data["password"])
    logout_user()
    session.clear()


@bp.route("/me/password", methods=["POST"])
@login_required_api
@limiter.limit(login_limit)
@bp.arguments(PasswordChangeSchema)
@bp.response(204)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def change_password(data):
    """Change my password: every other session is signed out, this one goes on."""
    user = current_user._get_current_object()
    accounts.change_own_password(user, data["current_password"], data["new_password"])
    start_session(user)


@bp.route("/me", methods=["PATCH"])
@login_required_api
@bp.arguments(ProfileSchema)
@bp.response(200, MeSchema)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def update_me(data):
    """Change my display name (shown with my comments, old and new)."""
    return accounts.rename_user(current_user._get_current_object(), data["display_name"])


#: The one answer to every reset request: it never tells whether an account uses the address.
RESET_SENT = "If an account uses that address, we have sent a link."


@bp.route("/auth/password-reset", methods=["POST"])
@limiter.limit(password_reset_limit)
@limiter.limit(password_reset_address_limit, key_func=password_reset_address_key)
@bp.arguments(PasswordResetRequestSchema)
@bp.response(202, AcceptedSchema)
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def request_password_reset(data):
    """Email a link to set a new password; the answer is the same for any address."""
    password_reset.request_reset(data["email"])
    return {"status": "accepted", "detail": RESET_SENT}


@bp.route("/auth/password-reset/confirm", methods=["POST"])
@limiter.limit(password_reset_limit)
@bp.arguments(PasswordResetConfirmSchema)
@bp.response(204)
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def confirm_password_reset(data):
    """Set a new password with the emailed link's token (422 when it expired or was used).

    Every session of the account is signed out; sign in with the new password.
    """
    password_reset.reset_password(data["token"], data["password"])
