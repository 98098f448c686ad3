"""The HTML sanitization policy. bleach is imported here and nowhere else.

Everything that reaches a page as HTML was made by a function of this module on write.
"""

from __future__ import annotations

import html
import re
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter, build_url_re

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


def url_scheme(url: str) -> str | None:
    """Return the scheme a browser could read in `url`, or None for a relative URL.

    Browsers trim C0 controls and spaces and drop tabs and newlines anywhere before parsing;
    bleach's own check misses some forms (`javascript:123` parses as a host and a port). Any
    text before a colon that comes ahead of the first `/` or `?` counts as the scheme, even text
    no browser would accept as one (`#` does not end it: `&#97;` spells a letter), so a doubtful
    URL is never mistaken for a relative one.
    """
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21))))).lower()
    head = re.split(r"[/?]", url, maxsplit=1)[0]
    return head.split(":", 1)[0] if ":" in head else None


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


#: Elements whose content is not text for the reader: stripping only their tags (as bleach does
#: with strip=True) would leave "alert(1)" or a stylesheet as visible words of the article.
HIDDEN_ELEMENTS = ("script", "style", "template", "noscript", "noembed", "noframes", "iframe",
                   "textarea", "title", "xmp")
#: An element from its start tag to the first matching end tag (or the end of the text, as a
#: browser reads an unclosed <script>). This only decides which text is dropped: whatever is left
#: goes through bleach, so a case the pattern misses is escaped or stripped, never rendered.
_HIDDEN_NAMES = "|".join(HIDDEN_ELEMENTS)
_HIDDEN_ELEMENT = re.compile(rf"<({_HIDDEN_NAMES})\b[^>]*>.*?(?:</\1\s*>|\Z)",
                             re.IGNORECASE | re.DOTALL)


def drop_hidden_elements(html: str) -> str:
    """Remove script-like elements together with their content."""
    return _HIDDEN_ELEMENT.sub("", html)


def clean_post_html(html: str) -> str:
    """Return the post body `html` reduced to the post allowlist, script-like content dropped.

    Comments keep bleach's escaping instead: a reader who writes `<script>` in a comment sees it
    shown as text, which is what they typed.
    """
    return _post_cleaner.clean(drop_hidden_elements(html or "")).strip()


def markup_free_text(text: str) -> str:
    """Return `text` without tags or script-like content, entities read (for slugs)."""
    return html.unescape(bleach.clean(drop_hidden_elements(text), tags=set(), strip=True))


_ANY_TAG = re.compile(r"<[^>]*>")


def sanitized_html_text(text: str) -> str:
    """Return the words of already sanitized `text` (tags become spaces, entities unescaped).

    A fast reader for text that went through `clean_post_html`: it does not parse, so it must
    not be given raw input.
    """
    return html.unescape(_ANY_TAG.sub(" ", text or ""))


# --- Comments: readers' text with a small markup, rendered once on write. -------------------

#: What a comment may contain: the blocks the markup makes and the inline tags readers may type.
COMMENT_TAGS = frozenset({
    "a", "b", "blockquote", "br", "code", "em", "i", "li", "ol", "p", "pre", "strong", "ul",
})
COMMENT_ATTRIBUTES = {"a": ["href", "title", "rel"]}
LINK_REL = "nofollow ugc noopener"

_HREF = (None, "href")
_REL = (None, "rel")
_QUOTE_LINE = re.compile(r"^\s*>\s?")
_BULLET_LINE = re.compile(r"^\s*[-*+]\s+")
_NUMBER_LINE = re.compile(r"^\s*\d{1,9}[.)]\s+")
_TAG = re.compile(r"(<[^<>]*>)")
_EMPTY_PARAGRAPH = re.compile(r"<p></p>")
_CODE = re.compile(r"`([^`\n]+)`")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")


def _safe_link(attrs: dict, new: bool = False) -> dict | None:
    """Keep a link only when it points at an allowed protocol; mark it as readers' content."""
    if url_scheme(attrs.get(_HREF, "")) not in SAFE_PROTOCOLS | {None}:
        return None
    attrs[_REL] = LINK_REL
    return attrs


_COMMENT_URL_RE = build_url_re(protocols=SAFE_PROTOCOLS)
_comment_cleaner = bleach.sanitizer.Cleaner(
    tags=COMMENT_TAGS,
    attributes=COMMENT_ATTRIBUTES,
    protocols=SAFE_PROTOCOLS,
    strip=False,
    strip_comments=True,
    filters=[partial(
        LinkifyFilter,
        callbacks=[_safe_link],
        skip_tags={"pre", "code"},
        parse_email=False,
        url_re=_COMMENT_URL_RE,
    )],
)
#: What only bleach can deal with: markup, entities and comments (`<`, `>`, `&`), control
#: characters (its sanitizer replaces them; the parser rewrites NUL and CR), and what is not a
#: character at all (lone surrogates, noncharacters).
_NEEDS_CLEANER = re.compile(
    "[<>&\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)


def render_comment(text: str) -> str:
    """Return the safe HTML of a comment written in readers' markup.

    Blank lines separate paragraphs and single newlines become line breaks; lines starting with
    `>` quote, with `-`/`*` or `1.` make lists; `**bold**`, `*italic*` and `` `code` `` work, as do
    the matching tags. Disallowed tags are shown as text, bare URLs become links, and every link
    gets rel="nofollow ugc noopener".
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    html_text = _blocks_html(text)
    if _is_plain(text):
        # Only the markup's own tags, no text bleach would escape or link: its output would
        # be this HTML unchanged (tests/comments/test_sanitize.py holds the two side by side).
        return _EMPTY_PARAGRAPH.sub("", html_text).strip()
    return _EMPTY_PARAGRAPH.sub("", _comment_cleaner.clean(html_text)).strip()


def _is_plain(text: str) -> bool:
    """Tell whether `text` has nothing for the sanitizer to do: no character it escapes,
    replaces or reads as markup, and nothing its linkifier would turn into a link."""
    return _NEEDS_CLEANER.search(text) is None and _COMMENT_URL_RE.search(text) is None


def _blocks_html(text: str) -> str:
    blocks = [block for block in re.split(r"\n[ \t]*\n+", text) if block.strip()]
    return "".join(_block_html(block.split("\n")) for block in blocks)


def _block_html(lines: list[str]) -> str:
    if all(_QUOTE_LINE.match(line) for line in lines):
        inner = "\n".join(_QUOTE_LINE.sub("", line, count=1) for line in lines)
        return f"<blockquote>{_blocks_html(inner)}</blockquote>"
    for pattern, tag in ((_BULLET_LINE, "ul"), (_NUMBER_LINE, "ol")):
        if all(pattern.match(line) for line in lines):
            items = "".join(f"<li>{_inline_html(pattern.sub('', line, count=1))}</li>"
                            for line in lines)
            return f"<{tag}>{items}</{tag}>"
    return "<p>" + "<br>\n".join(_inline_html(line) for line in lines) + "</p>"


def _inline_html(line: str) -> str:
    """Apply the inline markup: code spans show their text as is; the rest outside tags."""
    pieces = _CODE.split(line)
    for index, piece in enumerate(pieces):
        if index % 2:
            pieces[index] = f"<code>{html.escape(piece, quote=False)}</code>"
        else:
            pieces[index] = _emphasis_html(piece)
    return "".join(pieces)


def _emphasis_html(text: str) -> str:
    parts = _TAG.split(text)
    for index in range(0, len(parts), 2):
        strong = _STRONG.sub(r"<strong>\1</strong>", parts[index])
        parts[index] = _EMPHASIS.sub(r"<em>\1</em>", strong)
    return "".join(parts)
