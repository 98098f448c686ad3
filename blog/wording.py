"""How numbers read on the pages: "1 comment", "2 comments", "try again in 40 s"."""

from __future__ import annotations

import math

from flask import Flask


def plural(count: int, word: str, plural_word: str | None = None) -> str:
    """Return "1 comment" or "3 comments" (`plural_word` where adding an s is wrong)."""
    count = int(count)
    return f"{count:,} {word if abs(count) == 1 else (plural_word or word + 's')}"


def wait_time(seconds: float) -> str:
    """Return a short wait as a reader reads it: "40 s", "3 min", "2 h" (never "0 s")."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{math.ceil(seconds / 60)} min"
    return f"{math.ceil(seconds / 3600)} h"


def time_left(seconds: float) -> str:
    """Return what is left of a window: "14 minutes left", "1 minute left", "30 seconds left"."""
    seconds = max(0, math.floor(seconds))
    if seconds < 60:
        return plural(seconds, "second") + " left"
    return plural(seconds // 60, "minute") + " left"


def register_wording(app: Flask) -> None:
    app.add_template_filter(plural)
    app.add_template_filter(wait_time)
    app.add_template_filter(time_left)
