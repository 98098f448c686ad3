"""Text rules of the moderation pipeline: word lists, links and repeats, as pure functions."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

#: A URL with a scheme, a `www.` address, or a bare domain ending in a common top-level domain.
_URL = re.compile(
    r"""(?ix)
    (?:https?://[^\s<>"']+)
    | (?:\bwww\.[^\s<>"']+)
    | (?:\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+
         (?:com|net|org|info|biz|io|co|me|ru|cn|xyz|top|online|site|shop|club|app|dev|uk|de)
         \b(?:/[^\s<>"']*)?)
    """
)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


#: Texts up to this long have their folded form remembered: a new comment is folded by each
#: rule that reads it (its text key, each word list).
_FOLD_MEMO_MAX_LENGTH = 2_000


def fold(text: str) -> str:
    """Return `text` without accents, case-folded, with runs of space made one space."""
    if len(text) <= _FOLD_MEMO_MAX_LENGTH:
        return _remembered_fold(text)
    return _fold(text)


@lru_cache(maxsize=4096)
def _remembered_fold(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", bare.casefold()).strip()


@lru_cache(maxsize=32)
def _word_pattern(words: tuple[str, ...]) -> re.Pattern | None:
    folded = sorted({fold(word) for word in words if fold(word)}, key=len, reverse=True)
    if not folded:
        return None
    alternatives = "|".join(re.escape(word) for word in folded)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def matching_words(text: str, words: Iterable[str]) -> list[str]:
    """Return the words or phrases of `words` that occur in `text` as whole words.

    Matching ignores case and accents ("Café" matches "cafe") and respects word boundaries
    ("class" does not match "ass").
    """
    pattern = _word_pattern(tuple(words))
    if pattern is None:
        return []
    return sorted(set(pattern.findall(fold(text))))


def _host(url: str) -> str:
    if not re.match(r"(?i)^[a-z][a-z0-9+.-]*://", url):
        url = "http://" + url
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def find_links(body: str, body_html: str = "") -> list[str]:
    """Return the hosts of the links in a comment, one entry per link.

    Counts the links written in the text, or the `href`s of its HTML when those are more.
    """
    in_text = [_host(match) for match in _URL.findall(body or "")]
    in_html = [_host(href) for href in _HREF.findall(body_html or "")]
    links = in_text if len(in_text) >= len(in_html) else in_html
    return [host for host in links if host]


def blocked_hosts(hosts: Iterable[str], blocked: Iterable[str]) -> list[str]:
    """Return the hosts that are a blocked domain or one of its subdomains."""
    domains = {domain.strip().lower().lstrip(".") for domain in blocked if domain.strip()}
    return sorted({
        host for host in hosts
        if any(host == domain or host.endswith("." + domain) for domain in domains)
    })


def text_key(text: str) -> str:
    """Return a digest of `text` folded: equal for texts `same_text` finds equal."""
    return hashlib.blake2b(fold(text).encode(), digest_size=16).hexdigest()


def same_text(a: str, b: str) -> bool:
    """Tell whether two comments say the same thing, ignoring case, accents and spacing."""
    return fold(a) == fold(b)
