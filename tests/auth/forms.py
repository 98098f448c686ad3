"""Posting a page's form as a browser does: with the CSRF token the page itself carries."""

from __future__ import annotations

import re

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def page_csrf_token(page: str) -> str:
    match = CSRF_FIELD.search(page)
    assert match, "the page has no CSRF field"
    return match.group(1)


def submit(client, page_path: str, action: str, data: dict):
    """Open `page_path`, then post `data` to `action` with the token from the page's form."""
    page = client.get(page_path).get_data(as_text=True)
    return client.post(action, data={**data, "csrf_token": page_csrf_token(page)}, csrf=False)
