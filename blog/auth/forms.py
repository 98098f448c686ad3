"""Loading an HTML form through the API's own marshmallow schema, with messages for a page."""

from __future__ import annotations

import marshmallow as ma
from flask import request

from blog.services.errors import ValidationFailed


def load_form(schema: ma.Schema, names: tuple[str, ...], blank: dict[str, str],
              extra: dict | None = None) -> dict:
    """Load the posted fields `names` with `schema`; raise ValidationFailed with page messages.

    A field of `blank` left empty is refused with its sentence there ("Enter a display name.")
    rather than the schema's generic one; every other message is the API's own. `extra` holds values
    that come from elsewhere than the form (a token in the path).
    """
    form = {name: request.form.get(name, "") for name in names} | (extra or {})
    empty = {field: [message] for field, message in blank.items()
             if not form.get(field, "").strip()}
    try:
        data = schema.load(form)
    except ma.ValidationError as error:
        messages = {field: _listed(found) for field, found in error.messages.items()}
        raise ValidationFailed(messages | empty) from error
    if empty:
        raise ValidationFailed(empty)
    return data


def _listed(messages) -> list[str]:
    if isinstance(messages, dict):
        return [str(message) for found in messages.values() for message in _listed(found)]
    if isinstance(messages, list):
        return [str(message) for message in messages]
    return [str(messages)]
