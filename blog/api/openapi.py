"""flask-smorest's Api, set to describe errors as problem+json."""

from __future__ import annotations

import http

import marshmallow as ma
from apispec import BasePlugin
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from blog.api.problems import PROBLEM_MIMETYPE


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem (documentation only; responses are built by blog.api.problems)."""

    type = ma.fields.String(metadata={"description": "A URI naming the problem type"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Validation messages by field"},
    )


UNSAFE_METHODS = frozenset({"post", "put", "patch", "delete"})


class CommonErrorsPlugin(BasePlugin):
    """Document the errors every operation of a kind can answer, whatever its view says.

    - a JSON body: 400 (not JSON), 413 (too large), 422 (not valid);
    - query parameters: 400 (a NUL character), 422 (not valid);
    - path parameters: 404 (names nothing);
    - an unsafe method: 403 (a cookie-authenticated request without the CSRF token);
    - every operation: 414 (the address is longer than MAX_URL_LENGTH), 503 (the database is
      not reachable).
    Views document the rest (401, 403, 404, 409, 429) with `@bp.alt_response`.
    """

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            for status in self.errors_of(path or "", method, operation):
                if status not in responses and str(status) not in responses:
                    responses[status] = http.HTTPStatus(status).name

    @staticmethod
    def errors_of(path: str, method: str, operation: dict) -> list[int]:
        places = {parameter.get("in") for parameter in operation.get("parameters", [])
                  if isinstance(parameter, dict)}
        errors = [414, 503]
        if "requestBody" in operation:
            errors += [400, 413, 422]
        if "query" in places:
            errors += [400, 422]
        if "{" in path:
            errors.append(404)
        if method.lower() in UNSAFE_METHODS:
            errors.append(403)
        return errors


class ProblemApi(Api):
    """An Api whose documented errors are problem+json and whose handlers live in the app.

    No catch-all `default` response: every status an operation can answer is listed, so a client
    (and the contract fuzz test) knows them all.
    """

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def init_app(self, app, *, spec_kwargs=None):
        spec_kwargs = dict(spec_kwargs or {})
        spec_kwargs.setdefault("extra_plugins", [CommonErrorsPlugin()])
        super().init_app(app, spec_kwargs=spec_kwargs)

    def _register_error_handlers(self):
        """Leave error handling to blog.api.problems, which also serves HTML pages."""

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            content_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                content_type = PROBLEM_MIMETYPE
            if status in (429, 503):
                response["headers"] = {"Retry-After": {
                    "description": "Seconds to wait before trying again",
                    "schema": {"type": "integer"}}}
            prepare_response(response, self.spec, content_type)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)
