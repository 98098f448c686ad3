"""Assertions shared by the test modules."""

from __future__ import annotations

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def assert_problem(response, status: int, *, errors_for: str | None = None) -> dict:
    """Assert that `response` is an RFC 9457 problem with `status`; return its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    if errors_for is not None:
        assert errors_for in body["errors"], body
    return body
