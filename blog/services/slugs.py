"""URL slugs: readable, unicode-safe, unique and stable."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 80


def slugify(text: str, fallback: str = "post") -> str:
    """Make `text` a slug: Latin letters lose their accents, other scripts are kept as letters.

    "Zürich's new tram" -> "zurichs-new-tram"; "東京の天気" -> "東京の天気".
    """
    folded = "".join(
        _fold_char(char) for char in unicodedata.normalize("NFKC", text).replace("'", "")
    )
    slug = "".join(_slug_char(char) for char in folded.lower()).strip("-")
    slug = re.sub(r"-{2,}", "-", slug)[:MAX_SLUG_LENGTH].strip("-")
    return slug or fallback


def _slug_char(char: str) -> str:
    """Keep letters, digits and combining marks (the vowel signs of Devanagari, Arabic...)."""
    return char if unicodedata.category(char)[0] in "LNM" else "-"


def _fold_char(char: str) -> str:
    """Return `char` without its accent when it decomposes to ASCII, else `char` itself."""
    base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return base if base else char


def unique_slug(base: str, taken: set[str]) -> str:
    """Return `base`, or `base-2`, `base-3`... the first one not in `taken`."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
