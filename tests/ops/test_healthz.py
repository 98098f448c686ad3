"""GET /healthz: 200 when the database answers, 503 (as JSON) when it does not."""

from __future__ import annotations

import pytest

from blog import create_app
from config import TestingConfig


def test_healthz_is_ok_with_a_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.cache_control.no_store


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://postgres@127.0.0.1:1/x?connect_timeout=2",
    "sqlite:////nonexistent-directory/for/sure/blog.db",
])
def test_healthz_is_503_without_a_database(url):
    class Unreachable(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Unreachable)

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.mimetype == "application/json"
    assert response.get_json()["status"] != "ok"
    assert response.get_json()["database"] != "ok"
