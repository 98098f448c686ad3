"""Loading an HTML form through the API's own marshmallow schema, with messages for a page."""

from __future__ import annotations

import marshmallow as ma
from flask import request

from blog.services.errors import ValidationFailed


def load_form(schema: ma.Schema, names: tuple[str, ...], blank: dict[str, str],
              extra: dict | None = None) -> dict:
    """Load the posted fields `names` with `schema`; raise ValidationFailed with page messages.

    A field left empty gets its sentence from `blank` ("Enter a display name.") instead of
    the schema's generic one; every other message is the API's own. `extra` holds values
    that come from elsewhere than the form (a token in the path).
    """
    form = {name: request.form.get(name, "") for name in names} | (extra or {})
    try:
        return schema.load(form)
    except ma.ValidationError as error:
        messages = {field: _listed(found) for field, found in error.messages.items()}
        for field in messages:
            if field in blank and not form.get(field, "").strip():
                messages[field] = [blank[field]]
        raise ValidationFailed(messages) from error


def _listed(messages) -> list[str]:
    if isinstance(messages, dict):
        return [str(message) for found in messages.values() for message in _listed(found)]
    if isinstance(messages, list):
        return [str(message) for message in messages]
    return [str(messages)]
