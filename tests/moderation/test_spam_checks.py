"""Akismet as an optional spam check, against a local server speaking Akismet's protocol:
spam goes to spam, ham is published, and Akismet down or slow means the comment waits in the
queue, never lost."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from blog.extensions import db
from blog.models import Comment
from tests.factories import make_user
from tests.moderation.factories import make_comment


class FakeAkismet(BaseHTTPRequestHandler):
    """Akismet's comment-check: "true" (spam) when the text says so, else "false"."""

    requests: list[dict] = []
    mode = "normal"

    def do_POST(self):  # noqa: N802 (http.server's name)
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        FakeAkismet.requests.append({"path": self.path, **{k: v[0] for k, v in form.items()}})
        if FakeAkismet.mode == "slow":
            time.sleep(1.5)
        if FakeAkismet.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        spam = "cheap pills" in form.get("comment_content", [""])[0]
        body = b"true" if spam else b"false"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def akismet_server(app):
    FakeAkismet.requests, FakeAkismet.mode = [], "normal"
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAkismet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app.config.update(AKISMET_API_KEY="test-key",
                      AKISMET_API_URL=f"http://127.0.0.1:{server.server_port}",
                      AKISMET_TIMEOUT_SECONDS=0.5)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def regular_client(app, post):
    from tests.conftest import signed_in_client

    user = make_user(display_name="Regular Reader")
    for _ in range(2):
        make_comment(post, user)
    return signed_in_client(app, user)


def posted(client, post, body: str) -> Comment:
    response = client.post(f"/api/v1/posts/{post.slug}/comments", json={"body": body},
                           headers={"User-Agent": "Test browser"})
    assert response.status_code == 201, response.get_data(as_text=True)
    db.session.expire_all()
    return db.session.get(Comment, response.get_json()["id"])


def test_akismet_spam_is_marked_spam_and_ham_published(post, regular_client, akismet_server):
    spam = posted(regular_client, post, "Buy cheap pills at example.com")
    ham = posted(regular_client, post, "The new ferry timetable looks sensible.")

    assert (spam.status, spam.signals) == ("spam", ["akismet_spam"])
    assert ham.status == "approved"
    first = FakeAkismet.requests[0]
    assert first["path"] == "/1.1/comment-check" and first["api_key"] == "test-key"
    assert first["comment_content"] == "Buy cheap pills at example.com"
    assert first["user_ip"] == "127.0.0.1" and first["user_agent"] == "Test browser"
    assert first["comment_author"] == "Regular Reader" and first["comment_type"] == "comment"


@pytest.mark.parametrize("mode", ["error", "slow", "down"])
def test_akismet_unavailable_means_the_comment_waits_in_the_queue(app, post, regular_client,
                                                                   akismet_server, mode):
    FakeAkismet.mode = mode
    if mode == "down":
        with socket.socket() as probe:  # a port nobody listens on
            probe.bind(("127.0.0.1", 0))
            app.config["AKISMET_API_URL"] = f"http://127.0.0.1:{probe.getsockname()[1]}"
    started = time.monotonic()

    comment = posted(regular_client, post, "Buy cheap pills at example.com")

    assert time.monotonic() - started < 1.4  # bounded by the timeout, not by the server
    assert (comment.status, comment.signals) == ("pending", ["spam_check_unavailable"])
    assert comment.body == "Buy cheap pills at example.com"


def test_trusted_readers_and_edits_are_not_sent(post, reader, reader_client, akismet_server):
    for _ in range(5):
        make_comment(post, reader)

    comment = posted(reader_client, post, "A fair point about the ferry.")
    reader_client.patch(f"/api/v1/comments/{comment.id}", json={"body": "A fairer point."})

    assert comment.status == "approved" and FakeAkismet.requests == []


def test_without_a_key_nothing_is_sent(app, post, regular_client, akismet_server):
    app.config["AKISMET_API_KEY"] = None

    comment = posted(regular_client, post, "Buy cheap pills at example.com")

    assert comment.status == "approved" and FakeAkismet.requests == []
