"""HTTP caching of public reads: an ETag and a short max-age for anonymous readers.

A viral article is read by thousands of anonymous readers; their browsers and any shared cache in
front of the app may reuse an answer for PUBLIC_CACHE_SECONDS, and revalidate with If-None-Match
for a 304. Signed-in readers see their own state (their pending comments, votes), so their answers
are private and never stored by shared caches.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from flask import current_app, request

from blog.auth.security import current_user_or_none


def public_cache(view):
    """Mark a GET view's answer cacheable for anonymous readers, with an ETag of its body."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        response = current_app.make_response(view(*args, **kwargs))
        response.vary.update(("Cookie", "Authorization"))
        if response.status_code != 200:
            return response
        if current_user_or_none() is not None:
            response.headers["Cache-Control"] = "private, no-cache"
            return response
        etag = hashlib.blake2b(response.get_data(), digest_size=16).hexdigest()
        response.headers["ETag"] = f'"{etag}"'
        response.headers["Cache-Control"] = (
            f"public, max-age={current_app.config['PUBLIC_CACHE_SECONDS']}")
        if request.if_none_match.contains(etag):
            response.status_code = 304  # werkzeug sends no body and no entity headers
        return response

    return wrapped
