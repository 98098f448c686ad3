"""A database that went away is a 503 problem wherever its error surfaces; others stay bugs."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from tests.helpers import assert_problem


class DriverError(Exception):
    pass


def raiser(error: Exception):
    def view():
        raise error
    return view


@pytest.fixture
def failing_client(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    errors = {
        "operational": OperationalError("SELECT 1", {}, DriverError("server closed")),
        "interface": InterfaceError("SELECT 1", {}, DriverError("connection already closed")),
        "invalidated": DBAPIError("SELECT 1", {}, DriverError("gone"),
                                  connection_invalidated=True),
        "other": DBAPIError("SELECT 1", {}, DriverError("a real bug")),
    }
    for name, error in errors.items():
        app.add_url_rule(f"/api/v1/test-fail/{name}", f"fail_{name}", raiser(error))
    return app.test_client()


@pytest.mark.parametrize(("name", "status"), [
    ("operational", 503), ("interface", 503), ("invalidated", 503), ("other", 500),
])
def test_connection_errors_answer_503_problem_json(failing_client, name, status):
    response = failing_client.get(f"/api/v1/test-fail/{name}")
    assert_problem(response, status)
    if status == 503:
        assert response.headers["Retry-After"] == "5"
