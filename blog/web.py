"""Request-wide plumbing: the one commit per request, service errors, and security headers."""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, abort, current_app, request
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from blog.api.problems import error_page, problem_response, wants_problem_json
from blog.database import READ_ONLY_METHODS, has_changes
from blog.extensions import db
from blog.services.errors import ServiceError, ValidationFailed

log = logging.getLogger(__name__)

#: No body of the API nests deeper than a few levels; a deep one only costs parsing time.
MAX_JSON_DEPTH = 32
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

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
    if request.method in READ_ONLY_METHODS and not has_changes(db.session):
        return response  # nothing to make durable; the session's close at teardown ends it
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
                   headers: dict | None = None, extensions: dict | None = None) -> Response:
    """Answer `status` as problem+json on the API and as an error page elsewhere."""
    if wants_problem_json():
        return problem_response(status, detail, errors=errors, headers=headers,
                                extensions=extensions)
    return error_page(status, detail, headers)


def answer_service_error(error: ServiceError) -> Response:
    return error_response(error.status, error.detail, errors=error.errors,
                          extensions=error.extensions)


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
    environ = request.environ
    if "\x00" in environ.get("PATH_INFO", ""):
        abort(404)
    query = environ.get("QUERY_STRING", "")
    maybe_nul = "%00" in query or "\x00" in query  # the common case (neither) parses nothing
    if maybe_nul and any("\x00" in key + value for key, value in request.args.items(multi=True)):
        abort(400, "The query string contains a NUL character.")


def refuse_long_url() -> None:
    """Refuse a path and query longer than MAX_URL_LENGTH with 414 (problem+json on the API).

    gunicorn's own request-line limit (gunicorn.conf.py) is set above this one, so a client
    meets this answer, documented and in the API's format, before the server's.
    """
    environ = request.environ
    limit = current_app.config["MAX_URL_LENGTH"]
    if len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) > limit:
        abort(414, f"The address is longer than {limit} characters.")


def check_json_body() -> None:
    """Refuse a JSON body nested too deep (400), or with a NUL or lone surrogate in a text (422).

    json.loads fails with RecursionError (not ValueError) on 10,000 nested arrays, which
    webargs does not catch: a 500. A NUL cannot be stored by PostgreSQL and a lone surrogate
    ("\\ud800") cannot be encoded at all, in any field, so both are refused here, once.
    """
    if request.method not in BODY_METHODS or not request.is_json:
        return
    raw = request.get_data(cache=True)
    if not raw:
        return
    try:
        body = json.loads(raw)
    except RecursionError:
        abort(400, "The JSON body is nested too deeply.")
    except ValueError:
        return  # not JSON: the view's parser answers 400
    bad = _bad_text_fields(body)
    if bad is None:
        abort(400, "The JSON body is nested too deeply.")
    if bad:
        raise ValidationFailed({field: ["Contains a NUL character or text that is not valid "
                                        "Unicode."] for field in bad})


def _bad_text_fields(body) -> list[str] | None:
    """Name the top-level fields holding a NUL or lone surrogate; None when nested too deep."""
    bad: list[str] = []
    stack = [(body, 0, "_body")] if not isinstance(body, dict) else []
    if isinstance(body, dict):
        stack = [(value, 1, str(key)) for key, value in body.items()]
        stack.append((list(body), 1, "_body"))
    while stack:
        value, depth, field = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return None
        if isinstance(value, dict):
            stack += [(item, depth + 1, field) for item in (*value, *value.values())]
        elif isinstance(value, list):
            stack += [(item, depth + 1, field) for item in value]
        elif isinstance(value, str) and not _is_clean_text(value) and field not in bad:
            bad.append(field)
    return bad


def _is_clean_text(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
)
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"


def add_security_headers(response: Response) -> Response:
    """Add the security headers a view did not set itself (one pass over the headers)."""
    headers = response.headers
    present = {key.lower() for key, _ in headers.items()}
    policy = (CONTENT_SECURITY_POLICY if response.mimetype == "text/html"
              else API_CONTENT_SECURITY_POLICY)
    for name, value in (*SECURITY_HEADERS, ("Content-Security-Policy", policy)):
        if name.lower() not in present:
            headers.add(name, value)
    return response


def template_helpers() -> dict:
    from flask import current_app

    return {"has_endpoint": lambda name: name in current_app.view_functions}


def register_web_hooks(app: Flask) -> None:
    app.context_processor(template_helpers)
    app.before_request(refuse_long_url)
    app.before_request(refuse_nul_in_url)
    app.before_request(check_json_body)
    app.after_request(commit_request)
    app.after_request(add_security_headers)
    app.register_error_handler(ServiceError, answer_service_error)
    app.register_error_handler(IntegrityError, answer_integrity_error)
    app.register_error_handler(OperationalError, answer_database_down)
    app.register_error_handler(DBAPIError, answer_database_error)
