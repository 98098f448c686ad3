"""Who is asking, and may they: session and bearer sign-in, CSRF, and the role checks.

Every role check in the app goes through `login_required_api`, `roles_required` or the policy
functions of the services; none is written inline in a view.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import Forbidden

from blog.api.problems import handle_http_exception, wants_problem_json
from blog.extensions import csrf, db, login_manager
from blog.models import Role, User
from blog.services.accounts import user_for_token

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def bearer_token() -> str | None:
    """Return the token of an `Authorization: Bearer` header, if the request has one."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


@login_manager.user_loader
def load_user_from_session(session_id: str) -> User | None:
    """Load the session's user; a bearer header wins over a cookie, an old session loses."""
    if bearer_token() is not None:
        return None
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or str(user.session_version) != version:
        return None
    return user


@login_manager.request_loader
def load_user_from_bearer(_request) -> User | None:
    token = bearer_token()
    if token is None:
        return None
    user = user_for_token(token)
    if user is not None:
        g.authenticated_by_bearer = True
    return user


@login_manager.unauthorized_handler
def answer_unauthorized():
    if wants_problem_json():
        abort(401, "Sign in first, with a session or a bearer token.")
    return redirect(url_for("auth.login_page", next=request.full_path.rstrip("?")))


class BearerAwareSessionInterface(SecureCookieSessionInterface):
    """Never send a session cookie in answer to a bearer-authenticated request."""

    def open_session(self, app: Flask, request):
        """Start an empty session at once when the request brings no session cookie."""
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def should_set_cookie(self, app: Flask, session) -> bool:
        if g.get("authenticated_by_bearer"):
            return False
        return super().should_set_cookie(app, session)


def check_csrf() -> None:
    """Require the CSRF token on unsafe requests that ride on a session cookie.

    Requests without a cookie carry no ambient authority, and bearer requests cannot be forged
    by another site, so only cookie-carrying requests need the token (header or form field).
    """
    if request.method not in UNSAFE_METHODS or bearer_token() is not None:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "csrf_exempt", False):
        return
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return
    csrf.protect()


def csrf_exempt(view):
    """Let `view` take unsafe requests without a CSRF token; it must authorize them otherwise.

    For RFC 8058 one-click unsubscribe: mail clients POST without cookies or token, and the
    signed token in the URL is the authorization.
    """
    view.csrf_exempt = True
    return csrf.exempt(view)


def answer_csrf_error(error: CSRFError):
    refusal = Forbidden("The CSRF token is missing or does not match this session.")
    return handle_http_exception(refusal)


def _require(check: Callable[[User], bool], message: str):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not check(current_user):
                abort(403, message)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def login_required_api(view):
    """Refuse anonymous callers with 401 (API) or the sign-in page (HTML)."""
    return _require(lambda user: True, "")(view)


def roles_required(*roles: Role):
    """Refuse callers who hold none of `roles` (admins hold every role)."""
    names = ", ".join(str(role) for role in roles)
    return _require(lambda user: user.has_role(*roles), f"This needs the role: {names}.")


def current_user_or_none() -> User | None:
    """Return the signed-in user, or None; a request without cookies or Authorization is anonymous
    without asking Flask-Login (a session, a remember-me cookie and a bearer token are its only
    sources), unless this request signed someone in."""
    environ = request.environ
    if ("_login_user" not in g and "HTTP_COOKIE" not in environ
            and "HTTP_AUTHORIZATION" not in environ):
        return None
    return current_user if current_user.is_authenticated else None


def register_security(app: Flask) -> None:
    app.session_interface = BearerAwareSessionInterface()
    app.before_request(check_csrf)
    app.register_error_handler(CSRFError, answer_csrf_error)
