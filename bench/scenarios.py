"""What is measured: the same six reader and writer actions, as each app spells them."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

from bench import content
from bench.load import Request

#: (key, title) in the order of the table. Isso has no related posts and no article page.
SCENARIOS = [
    ("thread50", "50-comment thread, first page"),
    ("thread1000", "1,000-comment thread, first page"),
    ("counts", "comment counts, 20 posts"),
    ("post", "post a comment"),
    ("related", "related posts of a post"),
    ("article", "article HTML page"),
]
TITLES = dict(SCENARIOS)
CEILING = Request("GET", "/")
JSON_TYPE = {"Content-Type": "application/json"}
#: "{run}" is replaced per wrk run and "{n}" per request, so no two comments are the same text.
COMMENT_TEXT = "Benchmark comment {run}-{n}: the council still has not said when the work starts."


def ours(token: str) -> dict[str, Request]:
    """Return the product's request for each scenario (anonymous reads, a bearer-token POST)."""
    counts = urlencode([("post", slug) for slug in content.count_slugs()])
    body = json.dumps({"body": COMMENT_TEXT})
    return {
        "thread50": Request("GET", f"/api/v1/posts/{content.THREAD_50}/comments"),
        "thread1000": Request("GET", f"/api/v1/posts/{content.THREAD_1000}/comments"),
        "counts": Request("GET", f"/api/v1/comment-counts?{counts}"),
        "post": Request("POST", f"/api/v1/posts/{content.POST_TARGET}/comments",
                        {"Authorization": f"Bearer {token}", **JSON_TYPE}, body_template=body),
        "related": Request("GET", f"/api/v1/posts/{content.THREAD_50}/related"),
        "article": Request("GET", f"/posts/{content.THREAD_50}"),
    }


def isso() -> dict[str, Request]:
    """Return Isso's request for each scenario it has, as its own front-end sends them.

    Isso's widget asks for the whole thread (`GET /?uri=`, no limit by default), and counts
    with `POST /count` and a JSON list of thread URIs.
    """
    uri = {slug: f"/posts/{slug}" for slug in (content.THREAD_50, content.THREAD_1000,
                                               content.POST_TARGET)}
    body = json.dumps({"text": COMMENT_TEXT, "author": "Bench Poster",
                       "email": "poster@example.test"})
    uris = json.dumps([f"/posts/{slug}" for slug in content.count_slugs()])
    return {
        "thread50": Request("GET", f"/?uri={quote(uri[content.THREAD_50], safe='')}"),
        "thread1000": Request("GET", f"/?uri={quote(uri[content.THREAD_1000], safe='')}"),
        "counts": Request("POST", "/count", JSON_TYPE, body=uris),
        "post": Request("POST", f"/new?uri={quote(uri[content.POST_TARGET], safe='')}",
                        JSON_TYPE, body_template=body),
    }
