"""The ceiling: a bare Flask endpoint answering a fixed JSON body, served like the product.

Nothing the product does can be faster than this on the same gunicorn settings, so "ours/ceiling"
says how much of the stack's budget the product's own work (queries, serialization) spends.
`BENCH_CEILING_BYTES` sets the body size: the harness passes the size of our 50-comment page.
"""

from __future__ import annotations

import json
import os

from flask import Flask, Response

DEFAULT_BYTES = 30_000


def fixed_body(size: int) -> bytes:
    """Return a JSON document of exactly `size` bytes (padded inside a string)."""
    skeleton = json.dumps({"items": [], "next_cursor": None, "padding": ""})
    padding = max(size - len(skeleton), 0)
    return json.dumps({"items": [], "next_cursor": None, "padding": "x" * padding}).encode()


def create_app(size: int | None = None) -> Flask:
    """Create the ceiling app; its one endpoint returns the same bytes every time."""
    app = Flask(__name__)
    body = fixed_body(size or int(os.environ.get("BENCH_CEILING_BYTES", DEFAULT_BYTES)))

    @app.get("/")
    def fixed():
        return Response(body, mimetype="application/json")

    return app


app = create_app()
