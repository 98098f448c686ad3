"""Fixtures for notification tests: a post with an author, and a real SMTP server."""

from __future__ import annotations

import pytest

from tests.factories import make_post
from tests.notifications.helpers import Mailbox, SmtpServer


@pytest.fixture
def post(author):
    return make_post(author, "Elections in the north", tags=["Politics", "Local"])


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def smtp(app, mailbox):
    """Start an SMTP server on a free loopback port and point the app's MAIL_* at it."""
    server = SmtpServer(mailbox)
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield server
    server.stop()
