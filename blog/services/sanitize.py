"""The HTML sanitization policy. bleach is imported here and nowhere else.

Everything that reaches a page as HTML was made by a function of this module on write.
"""

from __future__ import annotations

import re
from html import unescape

import bleach

SAFE_PROTOCOLS = frozenset({"http", "https", "mailto"})

#: Post bodies are written by staff but are still never trusted raw.
POST_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "del", "em", "figcaption",
    "figure", "h2", "h3", "h4", "hr", "i", "img", "ins", "li", "ol", "p", "pre", "q", "s",
    "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
    "ul",
})
POST_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "img": ["src", "alt", "title", "width", "height"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
    "ol": ["start"],
}


_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


def url_scheme(url: str) -> str | None:
    """Return the scheme a browser reads in `url` (None for a relative URL).

    Browsers trim C0 controls and spaces and drop tabs and newlines anywhere before parsing;
    bleach's own check misses some forms (`javascript:123` parses as a host and a port).
    """
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21))))).lower()
    match = _SCHEME.match(url)
    return match.group(1) if match else None


def _post_attribute_allowed(tag: str, name: str, value: str) -> bool:
    """Allow the listed attributes; links need a safe scheme, image sources http(s)."""
    if name not in POST_ATTRIBUTES.get(tag, ()):
        return False
    if tag == "img" and name == "src":
        return url_scheme(value) in ("https", "http")
    if name == "href":
        return url_scheme(value) in SAFE_PROTOCOLS | {None}
    return True


_post_cleaner = bleach.sanitizer.Cleaner(
    tags=POST_TAGS,
    attributes=_post_attribute_allowed,
    protocols=SAFE_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def clean_post_html(html: str) -> str:
    """Return the post body `html` reduced to the post allowlist."""
    return _post_cleaner.clean(html or "").strip()


def strip_tags(html: str) -> str:
    """Return the text of `html` with every tag removed (entities stay escaped)."""
    return bleach.clean(html or "", tags=set(), strip=True, strip_comments=True)


_TAG = re.compile(r"<[^>]*>")


def sanitized_html_text(html: str) -> str:
    """Return the words of already sanitized `html` (tags become spaces, entities unescaped).

    A fast reader for text that went through `clean_post_html`: it does not parse, so it must
    not be given raw input (use `strip_tags` for that).
    """
    return unescape(_TAG.sub(" ", html or ""))
