"""Absolute links, for the API, emails and feeds."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

#: The largest id an INTEGER column holds (PostgreSQL refuses a bigger one in a query: a 500).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in routes: a row id, 1..MAX_ID; anything else names nothing (404).

    Without the bound, /comments/99999999999999999999 reached the database and failed there.
    The refusal is a 404 for every method: werkzeug's own range check would make the other
    methods of the route answer 405.
    """

    def __init__(self, map, *args, min: int = 1, max: int = MAX_ID, **kwargs):  # noqa: A002
        super().__init__(map, *args, min=min, max=max, **kwargs)

    def to_python(self, value: str) -> int:
        number = int(value)
        if not self.min <= number <= self.max:
            raise NotFound()
        return number


def absolute_url(endpoint: str, **values) -> str:
    """Return the absolute URL of `endpoint`, on BASE_URL when it is set.

    Works outside a request too (the notification worker, the CLI), where BASE_URL is the base.
    """
    base = current_app.config.get("BASE_URL")
    if has_request_context():
        if not base:
            return url_for(endpoint, _external=True, **values)
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    return (base or "http://localhost:5000").rstrip("/") + path


def post_url(post) -> str:
    return absolute_url("posts.article", slug=post.slug)
