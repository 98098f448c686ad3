"""CSRF: cookie-authenticated unsafe requests need the token; others do not."""

from __future__ import annotations

import pytest

from tests.factories import make_post
from tests.helpers import assert_problem


@pytest.fixture
def post(author):
    return make_post(author, "A post to change")


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/api/v1/posts", {"title": "No token"}),
    ("patch", "/api/v1/posts/a-post-to-change", {"title": "No token"}),
    ("post", "/api/v1/me/tokens", {"name": "x"}),
])
def test_cookie_requests_without_the_token_are_refused(author_client, post, method, path, body):
    response = getattr(author_client, method)(path, json=body, csrf=False)

    assert_problem(response, 403)


def test_the_token_of_another_session_is_refused(author_client, reader_client):
    response = author_client.post("/api/v1/posts", json={"title": "Wrong token"},
                                  csrf=reader_client.csrf_token())

    assert_problem(response, 403)


def test_the_right_token_is_accepted(author_client):
    response = author_client.post("/api/v1/posts", json={"title": "Right token"},
                                  csrf=author_client.csrf_token())

    assert response.status_code == 201


def test_a_form_post_without_the_token_gets_a_403_page(reader_client):
    response = reader_client.post("/logout", data={}, csrf=False)

    assert response.status_code == 403
    assert response.mimetype == "text/html"
    assert reader_client.get("/api/v1/me").status_code == 200


def test_a_request_without_any_cookie_is_not_csrf_checked(client):
    # The contract's curl check: anonymous, no cookie, no token: 401 (not 403).
    response = client.post("/api/v1/posts", data="{}", content_type="application/json",
                           csrf=False)

    body = assert_problem(response, 401)
    assert body["title"] == "Unauthorized"
