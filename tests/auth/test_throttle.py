"""Sign-in is throttled per client address and per account, on the API and the form alike."""

from __future__ import annotations

import pytest

from blog import create_app
from config import TestingConfig
from tests.factories import ApiClient


@pytest.fixture
def throttled_app(database_url):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"
        RATELIMIT_LOGIN = "3 per minute"
        RATELIMIT_LOGIN_ACCOUNT = "3 per minute"

    app = create_app(Config)
    app.test_client_class = ApiClient
    return app


def attempt(app, email: str, address: str, form: bool = False):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if form:
        return client.post("/login", data={"email": email, "password": "wrong password"})
    return client.post("/api/v1/auth/login", json={"email": email, "password": "wrong password"})


@pytest.mark.parametrize("form", [False, True], ids=["api", "form"])
def test_one_account_is_throttled_across_addresses(throttled_app, form):
    answers = [
        attempt(throttled_app, "Victim@Example.com", f"10.0.0.{n}", form).status_code
        for n in range(1, 5)
    ]

    assert answers == [401, 401, 401, 429]
    assert attempt(throttled_app, "someone.else@example.com", "10.0.0.9", form).status_code == 401


def test_one_address_is_throttled_across_accounts(throttled_app):
    answers = [
        attempt(throttled_app, f"user{n}@example.com", "10.0.0.1").status_code
        for n in range(1, 5)
    ]

    assert answers == [401, 401, 401, 429]
    assert attempt(throttled_app, "user9@example.com", "10.0.0.2").status_code == 401
