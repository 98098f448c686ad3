"""Canonical URLs: the address of an article on the host site, written one way.

A site that embeds the comments names each thread by the address of its article. One article must
be one thread however its address is written, so addresses are normalised before they are stored
or compared.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from blog.services.errors import ValidationFailed

MAX_URL_LENGTH = 2048
DEFAULT_PORTS = {"http": 80, "https": 443}
INVALID = "Enter a valid address (http or https)."


def normalise_url(url: str, field: str = "url") -> str:
    """Return `url` with scheme and host lower-cased; default port, fragment and user dropped.

    The path and the query are kept as written: on many sites `?id=7` names another article.
    Anything but an absolute http(s) address is refused (ValidationFailed on `field`).
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValidationFailed({field: [INVALID]}) from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname or len(text) > MAX_URL_LENGTH:
        raise ValidationFailed({field: [INVALID]})
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def origin_of(url: str) -> str | None:
    """Return the origin (`scheme://host[:port]`) of an http(s) address, normalised; else None."""
    try:
        scheme, host, *_ = urlsplit(normalise_url(url))
    except ValidationFailed:
        return None
    return f"{scheme}://{host}"
