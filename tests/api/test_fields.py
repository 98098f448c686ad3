"""Text fields refuse Unicode's control characters; multi-line ones keep line breaks and tabs."""

from __future__ import annotations

import sys
import unicodedata

import marshmallow as ma
import pytest

from blog.api.fields import CleanText

CONTROLS = [chr(code) for code in range(sys.maxunicode + 1)
            if unicodedata.category(chr(code)) == "Cc"]


def loads(field: CleanText, text: str) -> str:
    return ma.Schema.from_dict({"text": field})().load({"text": text})["text"]


@pytest.mark.parametrize("multiline", [False, True])
def test_every_control_character_is_refused_but_a_comments_line_breaks(multiline):
    field = CleanText(multiline=multiline)
    allowed = {"\n", "\t", "\r"} if multiline else set()
    for control in CONTROLS:
        text = f"before{control}after"
        if control in allowed:
            assert loads(field, text).startswith("before")
        else:
            with pytest.raises(ma.ValidationError, match="control characters"):
                loads(field, text)


def test_text_around_the_controls_is_accepted():
    text = "Zoë’s café\u00a0—\u200d “quoted” \U0001f642 \u00ad soft"
    assert loads(CleanText(multiline=True), text) == text
