"""Absolute links, for the API, emails and feeds."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


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
