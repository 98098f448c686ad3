"""Errors the services raise; the API answers them as problem+json, the pages as messages."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal the caller can explain to the user."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str | None = None, *, errors: dict | None = None,
                 extensions: dict | None = None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        #: Further members of the problem+json answer (RFC 9457 extension members).
        self.extensions = extensions or {}

    def messages_for(self, field: str) -> dict[str, list[str]]:
        """The messages by field, for a form: `detail` under `field` when no field was named."""
        return self.errors or {field: [self.detail]}


class NotFound(ServiceError):
    status = 404
    title = "Not found"


class Forbidden(ServiceError):
    status = 403
    title = "Forbidden"


class Conflict(ServiceError):
    status = 409
    title = "Conflict"


class ValidationFailed(ServiceError):
    """Input that is well-formed but not acceptable; `errors` maps fields to messages."""

    status = 422
    title = "Validation failed"

    def __init__(self, errors: dict[str, list[str]], detail: str | None = None):
        super().__init__(detail or "The request did not pass validation; see errors.",
                         errors=errors)


class Unauthorized(ServiceError):
    """Credentials that prove nothing (a bad sign-in token)."""

    status = 401
    title = "Unauthorized"


class ToxicityNudge(ValidationFailed):
    """A comment the toxicity score would hold, refused once so its author may rephrase it;
    sending it again with `nudge_token` posts it (to the queue)."""

    def __init__(self, message: str, token: str):
        super().__init__({"body": [message]}, detail=message)
        self.extensions = {"nudge_token": token}

    @property
    def token(self) -> str:
        return self.extensions["nudge_token"]
