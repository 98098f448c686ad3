"""Marshmallow fields for text people type: trimmed, and refused when it hides tricks."""

from __future__ import annotations

import re

import marshmallow as ma

from blog.urls import MAX_ID

#: Bidirectional overrides and isolates reorder what readers see ("Trojan Source").
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")


#: Unicode's control characters (category Cc: U+0000-U+001F and U+007F-U+009F).
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS_BUT_LINE_BREAKS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class CleanText(ma.fields.String):
    """A string, trimmed, with no NUL, lone surrogate or (unless `multiline`) control character.

    `single_line_name=True` also refuses invisible and direction-changing characters, which let
    one display name impersonate another.
    """

    def __init__(self, *args, multiline: bool = False, strict_name: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.multiline = multiline
        self.strict_name = strict_name

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ma.ValidationError("Contains characters that are not valid Unicode.") from error
        if self.multiline:  # browsers send a textarea's line breaks as CRLF
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        controls = _CONTROLS_BUT_LINE_BREAKS if self.multiline else _CONTROLS
        if controls.search(text):
            raise ma.ValidationError("Contains control characters.")
        if self.strict_name and (_BIDI_CONTROLS.search(text) or _INVISIBLE.search(text)):
            raise ma.ValidationError("Contains invisible or direction-changing characters.")
        return text.strip()


class StrictInteger(ma.fields.Integer):
    """A JSON number without a fraction; not a string of digits, not true or false."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("strict", True)
        super().__init__(*args, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Id(StrictInteger):
    """A row id in a body: 1..MAX_ID (a bigger one overflows the column: it was a 500)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate", ma.validate.Range(min=1, max=MAX_ID))
        super().__init__(*args, **kwargs)


class StrictBoolean(ma.fields.Boolean):
    """JSON true or false; not 0, 1, "yes" or "on" (which the document does not allow)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class ShortStrings(ma.fields.List):
    """A list of strings of at most `max_length` characters (a repeated query parameter).

    Checked in one pass; a list with a bad item goes through List's own checks, so errors read
    as they always did (the item's index and the Length message).
    """

    def __init__(self, max_length: int, **kwargs):
        super().__init__(ma.fields.String(validate=ma.validate.Length(max=max_length)), **kwargs)
        self.max_length = max_length

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list) and all(
            type(item) is str and len(item) <= self.max_length for item in value
        ):
            return list(value)
        return super()._deserialize(value, attr, data, **kwargs)
