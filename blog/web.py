"""Request-wide plumbing: the one commit per request, service errors, and security headers."""

from __future__ import annotations

import logging

from flask import Flask, Response, abort, render_template, request
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from blog.api.problems import problem_response, wants_problem_json
from blog.extensions import db
from blog.services.errors import ServiceError

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' https: http: data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def commit_request(response: Response) -> Response:
    """Commit the request's one transaction if it succeeded, else roll it back.

    Services only flush; this is the one place where a request's changes become durable. A
    failing commit replaces the answer, so a client is never told of a change that was lost.
    """
    if response.status_code >= 400:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        log.warning("conflict on commit for %s %s", request.method, request.path, exc_info=True)
        return error_response(409, "The change conflicts with the current state; try again.")
    except (OperationalError, DBAPIError):
        db.session.rollback()
        log.exception("database failure on commit")
        return error_response(503, "The database is not reachable; try again shortly.")
    return response


def error_response(status: int, detail: str, errors: dict | None = None,
                   headers: dict | None = None) -> Response:
    """Answer `status` as problem+json on the API and as an error page elsewhere."""
    if wants_problem_json():
        return problem_response(status, detail, errors=errors, headers=headers)
    page = render_template("errors/error.html", code=status, description=detail)
    return Response(page, status=status, headers=headers)


def answer_service_error(error: ServiceError) -> Response:
    return error_response(error.status, error.detail, errors=error.errors)


def answer_database_down(error: Exception) -> Response:
    db.session.rollback()
    log.error("database unavailable: %s", error)
    return error_response(503, "The database is not reachable; try again shortly.",
                          headers={"Retry-After": "5"})


def is_disconnect(error: BaseException) -> bool:
    """Tell whether `error` means the database went away (restart, failover, network)."""
    return isinstance(error, OperationalError | InterfaceError) or bool(
        getattr(error, "connection_invalidated", False))


def answer_database_error(error: DBAPIError) -> Response:
    """Answer 503 when the database connection failed; any other database error is a bug."""
    if not is_disconnect(error):
        raise error
    return answer_database_down(error)


def answer_integrity_error(error: IntegrityError) -> Response:
    db.session.rollback()
    log.warning("integrity error: %s", error)
    return error_response(409, "The change conflicts with the current state; try again.")


def refuse_nul_in_url() -> None:
    """Refuse a NUL in the path (names nothing: 404) or query (400); PostgreSQL cannot take one."""
    if "\x00" in request.path:
        abort(404)
    if any("\x00" in key + value for key, value in request.args.items(multi=True)):
        abort(400, "The query string contains a NUL character.")


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if response.mimetype == "text/html":
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    else:
        headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
    return response


def template_helpers() -> dict:
    from flask import current_app

    return {"has_endpoint": lambda name: name in current_app.view_functions}


def register_web_hooks(app: Flask) -> None:
    app.context_processor(template_helpers)
    app.before_request(refuse_nul_in_url)
    app.after_request(commit_request)
    app.after_request(add_security_headers)
    app.register_error_handler(ServiceError, answer_service_error)
    app.register_error_handler(IntegrityError, answer_integrity_error)
    app.register_error_handler(OperationalError, answer_database_down)
    app.register_error_handler(DBAPIError, answer_database_error)
