"""Rate limits hold across app instances when they share Redis, as gunicorn workers do."""

from __future__ import annotations

import socket
import uuid

import pytest

from blog import create_app
from config import TestingConfig
from tests.factories import ApiClient

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def redis_available() -> bool:
    try:
        socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def two_instances(database_url):
    """Two apps on one database and one Redis, like two gunicorn workers."""

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = f"redis://{REDIS_HOST}:{REDIS_PORT}/15"
        RATELIMIT_KEY_PREFIX = f"test-{uuid.uuid4().hex}"
        RATELIMIT_LOGIN = "3 per minute"

    apps = [create_app(Config), create_app(Config)]
    clients = []
    for app in apps:
        app.test_client_class = ApiClient
        clients.append(app.test_client())
    yield clients


def test_login_limit_is_shared_between_instances(two_instances):
    first, second = two_instances
    answers = [
        client.post("/api/v1/auth/login", json={"email": "nobody@example.com", "password": "x"})
        for client in (first, second, first)
    ]
    assert [answer.status_code for answer in answers] == [401, 401, 401]

    refused = second.post("/api/v1/auth/login",
                          json={"email": "nobody@example.com", "password": "x"})

    assert refused.status_code == 429
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["status"] == 429
