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
            response.cache_control.private = True
            response.cache_control.no_cache = True
            return response
        response.set_etag(hashlib.blake2b(response.get_data(), digest_size=16).hexdigest())
        response.cache_control.public = True
        response.cache_control.max_age = current_app.config["PUBLIC_CACHE_SECONDS"]
        return response.make_conditional(request)

    return wrapped
