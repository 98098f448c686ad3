"""Rate limits answer 429 problem+json with Retry-After."""

from __future__ import annotations

import pytest

from blog import create_app
from config import TestingConfig
from tests.factories import ApiClient
from tests.helpers import assert_problem


@pytest.fixture
def limited_client(database_url):
    class Limited(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_ENABLED = True
        RATELIMIT_LOGIN = "2 per minute"

    app = create_app(Limited)
    app.test_client_class = ApiClient
    return app.test_client()


def test_too_many_logins_are_refused_with_retry_after(limited_client):
    attempt = {"email": "nobody@example.com", "password": "wrong password"}
    for _ in range(2):
        assert limited_client.post("/api/v1/auth/login", json=attempt).status_code == 401

    response = limited_client.post("/api/v1/auth/login", json=attempt)

    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0
