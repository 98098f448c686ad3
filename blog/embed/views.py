"""The embed: /embed.js for host sites, and the sign-in popup that hands the embed a token.

Why a bearer token kept by the embed, not an iframe on this origin: with third-party cookies
blocked (Safari, Firefox's total cookie protection, Chrome's phase-out) an iframe of this site
inside a news site gets no cookie of its own, so it could not keep a reader signed in either,
and it would need resizing and postMessage plumbing for every action. The script instead calls
the JSON API with `Authorization: Bearer` (CORS for EMBED_ORIGINS, no cookies, no CSRF), and
keeps the token in the host page's localStorage under a key naming this site. The token comes
from the host's SSO (POST /api/v1/auth/sso) or from this popup, which runs first-party here,
where the reader's own session cookie works, and posts the token to the opener's origin only
when that origin is in EMBED_ORIGINS.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Blueprint, abort, current_app, make_response, render_template, request
from flask_login import current_user

from blog.auth.schemas import SsoSessionSchema
from blog.auth.security import login_required_api
from blog.services import sso
from blog.services.canonical_urls import origin_of

bp = Blueprint("embed", __name__)
STATIC = Path(__file__).resolve().parent.parent / "static" / "embed"
#: Host pages load /embed.js by a stable address: caches may keep it an hour. The stylesheet
#: it loads is named by its digest, so a new release is picked up within that hour.
SCRIPT_MAX_AGE = 3600


#: The stylesheet's address carries its digest (?v=): that answer never changes.
STYLE_MAX_AGE = 365 * 24 * 3600


@cache
def style_file() -> tuple[bytes, str]:
    """Return the stylesheet and its version (a digest of it), read once."""
    style = (STATIC / "embed.css").read_bytes()
    return style, hashlib.sha256(style).hexdigest()[:12]


@cache
def script_file() -> tuple[bytes, str]:
    """Return the script, its stylesheet's version written in, and its ETag, read once."""
    script = (STATIC / "embed.js").read_bytes().replace(b"__STYLE_VERSION__",
                                                        style_file()[1].encode())
    return script, hashlib.sha256(script).hexdigest()[:16]


def public_asset(body: bytes, mimetype: str, etag: str, max_age: int):
    """A file any site may load and read (CORS *: it holds nothing private), cached publicly."""
    response = make_response(body)
    response.mimetype = mimetype
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)


@bp.route("/embed.js")
def embed_script():
    """Serve the embed script: public, cacheable for an hour, revalidated by ETag."""
    script, etag = script_file()
    return public_asset(script, "text/javascript", etag, SCRIPT_MAX_AGE)


@bp.route("/embed.css")
def embed_style():
    """Serve the embed's stylesheet: for a year when asked by its current version."""
    style, version = style_file()
    max_age = STYLE_MAX_AGE if request.args.get("v") == version else SCRIPT_MAX_AGE
    response = public_asset(style, "text/css", version, max_age)
    if max_age == STYLE_MAX_AGE:
        response.cache_control.immutable = True
    return response


def embedding_origin() -> str:
    """Return the opener's origin named by ?origin=, refused unless it is an embedding site."""
    origin = origin_of(request.values.get("origin", ""))
    if origin is None or origin not in current_app.config["EMBED_ORIGINS"]:
        abort(400, description="This site may not sign readers in to the comments.")
    return origin


@bp.route("/embed/sign-in", methods=["GET"])
@login_required_api
def sign_in_page():
    """Ask the signed-in reader whether to sign in to the comments on the host site."""
    return no_store(render_template("embed/sign_in.html", origin=embedding_origin()))


@bp.route("/embed/sign-in", methods=["POST"])
@login_required_api
def sign_in_confirm():
    """Make a token for the embed and hand it to the opener (embed-sign-in.js posts it)."""
    origin = embedding_origin()
    handover = SsoSessionSchema().dump({"token": sso.issue_token(current_user),
                                        "user": current_user})
    return no_store(render_template("embed/handover.html", origin=origin, **handover))


def no_store(body: str):
    """A page holding a token or bound to one reader: never cached anywhere."""
    response = make_response(body)
    response.cache_control.no_store = True
    return response
