"""One error shape for the whole API: `application/problem+json` (RFC 9457).

HTML paths get an error page instead; nothing under /api/ ever answers with HTML or a stack trace.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from flask import Flask, Response, current_app, json, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

PROBLEM_MIMETYPE = "application/problem+json"
log = logging.getLogger(__name__)


def wants_problem_json() -> bool:
    """Tell whether the current request is an API request (which never gets HTML)."""
    return request.path.startswith("/api/")


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    errors: dict | None = None,
    headers: dict | None = None,
    type_: str = "about:blank",
    extensions: dict | None = None,
) -> Response:
    """Build a problem+json response (`extensions`: further members, RFC 9457)."""
    body = {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or HTTPStatus(status).description,
    }
    if errors:
        body["errors"] = errors
    body.update(extensions or {})
    response = current_app.response_class(
        json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_validation_messages(messages: dict) -> dict[str, list[str]]:
    """Turn webargs' `{"json": {"field": [...]}, "query": {...}}` into `{"field": [...]}`."""
    flat: dict[str, list[str]] = {}
    for location_errors in messages.values():
        if not isinstance(location_errors, dict):
            flat.setdefault("_body", []).extend(_as_messages(location_errors))
            continue
        for field, field_errors in location_errors.items():
            flat.setdefault(str(field), []).extend(_as_messages(field_errors))
    return flat


def _as_messages(value) -> list[str]:
    if isinstance(value, list):
        return [m for item in value for m in _as_messages(item)]
    if isinstance(value, dict):
        return [f"{key}: {m}" for key, inner in value.items() for m in _as_messages(inner)]
    return [str(value)]


def handle_http_exception(error: HTTPException):
    """Answer an HTTP error as problem+json on the API and as a page elsewhere."""
    if error.response is not None:  # a view's own answer (a form's 429 that keeps the text)
        return error.response
    if not wants_problem_json():
        return render_error_page(error)
    data = getattr(error, "data", None) or {}
    errors = data.get("errors")
    if errors is None and "messages" in data:
        errors = flatten_validation_messages(data["messages"])
    detail = data.get("message") or error.description
    if error.code == 400 and errors:
        detail = "The request body is not valid JSON."
        errors = None
    elif error.code == 422 and errors:
        detail = "The request did not pass validation; see errors."
    headers = dict(data.get("headers") or {})
    if error.code == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return problem_response(error.code or 500, detail, errors=errors, headers=headers)


def handle_unexpected_exception(error: Exception):
    """Log an unexpected exception and answer 500 without any detail of it."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("unhandled exception on %s %s", request.method, request.path)
    return handle_http_exception(InternalServerError())


def render_error_page(error: HTTPException):
    code = error.code or 500
    description = error.description if code < 500 else "Something went wrong on our side."
    return error_page(code, description)


def error_page(status: int, description: str, headers: dict | None = None) -> Response:
    """Render the HTML error page: what a reader sees instead of problem+json."""
    page = render_template("errors/error.html", code=status, description=description)
    return Response(page, status=status, headers=headers)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected_exception)
