"""A local webhook receiver (a real HTTP server on a loopback port) and registered endpoints."""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from blog.extensions import db
from blog.models import WebhookEvent
from blog.services import webhooks
from tests.factories import make_post
from tests.notifications.helpers import run_worker

ALL_EVENTS = [event.value for event in WebhookEvent]


class Receiver(ThreadingHTTPServer):
    """Records every request; answers `status` (200 by default), after `delay` seconds."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.requests: list[dict] = []
        self.status = 200
        self.delay = 0.0
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0  # the most requests it was answering at one time

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/hooks"

    def bodies(self) -> list[dict]:
        return [json.loads(request["body"]) for request in self.requests]

    def types(self) -> list[str]:
        return [body.get("type") for body in self.bodies()]


class ReceiverHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        server: Receiver = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with server.lock:
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
        if server.delay:
            time.sleep(server.delay)
        with server.lock:
            server.in_flight -= 1
            headers = {name.lower(): value for name, value in self.headers.items()}
            server.requests.append({"path": self.path, "headers": headers, "body": body})
        self.send_response(server.status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def established_readers(app):
    """Readers' comments are published at once (no first-comments hold), as for regulars."""
    app.config.update(MODERATION_NEW_USER_APPROVED=0, MODERATION_REPEAT_WINDOW_SECONDS=0)


@pytest.fixture
def receiver(app):
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
    with serving(Receiver()) as server:
        yield server


@pytest.fixture
def other_receiver(receiver):
    with serving(Receiver()) as server:
        yield server


@contextmanager
def serving(server):
    """Serve `server` on a thread for the with-block, then stop it and close its socket."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def post(author):
    """A published post whose own event was handled before any endpoint was registered."""
    post = make_post(author, "Harbour council votes on the new sea wall")
    run_worker()
    return post


def post_comment(client, post, body="The sea wall should have come years ago."):
    """Post a comment through the API as `client`'s reader; return the JSON answer."""
    response = client.post(f"/api/v1/posts/{post.slug}/comments", json={"body": body})
    assert response.status_code == 201, response.json
    return response.json


def register(url: str, events=None, **options):
    endpoint = webhooks.register_endpoint(url, events or ALL_EVENTS, created_by=None, **options)
    db.session.commit()
    return endpoint
