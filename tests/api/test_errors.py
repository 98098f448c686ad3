"""API plumbing: one problem+json shape for every refusal, and never a stack trace."""

from __future__ import annotations

import pytest

from tests.factories import make_post
from tests.helpers import assert_problem


def test_an_unknown_body_field_is_named(author_client):
    response = author_client.post("/api/v1/posts", json={"title": "Hi", "colour": "red"})

    assert_problem(response, 422, errors_for="colour")


@pytest.mark.parametrize(("body", "field"), [
    ({"title": 42}, "title"),
    ({"title": "Hi", "tags": "Climate"}, "tags"),
    ({"title": "Hi", "status": "archived"}, "status"),
    ({"title": "Hi", "comments_open": "perhaps"}, "comments_open"),
    ({"title": ""}, "title"),
    ({}, "title"),
])
def test_a_wrong_type_or_value_is_422(author_client, body, field):
    assert_problem(author_client.post("/api/v1/posts", json=body), 422, errors_for=field)


@pytest.mark.parametrize("raw", ['{"title": ', "not json", '{"title": "x",}'])
def test_malformed_json_is_400(author_client, raw):
    response = author_client.post("/api/v1/posts", data=raw, content_type="application/json")

    body = assert_problem(response, 400)
    assert "JSON" in body["detail"]


def test_a_json_body_that_is_not_an_object_is_refused(author_client):
    response = author_client.post("/api/v1/posts", json=["title"])

    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/posts/a/b/c", "/api/v2/posts"])
def test_an_unknown_api_path_is_problem_json(client, path):
    assert_problem(client.get(path), 404)


def test_a_wrong_method_is_405_with_allow(client):
    response = client.delete("/api/v1/posts")

    assert_problem(response, 405)
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_a_body_over_the_limit_is_413(app, author_client):
    app.config["MAX_CONTENT_LENGTH"] = 1000

    response = author_client.post("/api/v1/posts", json={"title": "Big", "body_html": "x" * 2000})

    assert_problem(response, 413)


def test_a_body_over_the_default_limit_is_413(author_client):
    response = author_client.post("/api/v1/posts",
                                  json={"title": "Big", "body_html": "x" * (1024 * 1024 + 1)})

    assert_problem(response, 413)


def test_an_unexpected_exception_is_500_without_a_trace(app, client):
    def explode():
        raise RuntimeError("secret internals at /srv/app/blog/x.py line 3")

    app.add_url_rule("/api/v1/test-explode", "test_explode", explode)

    response = client.get("/api/v1/test-explode")

    body = assert_problem(response, 500)
    text = response.get_data(as_text=True)
    assert "secret internals" not in text
    assert "Traceback" not in text
    assert "RuntimeError" not in text
    assert body["title"] == "Internal Server Error"


def test_an_unexpected_exception_on_a_page_is_an_html_500(app, client):
    def explode():
        raise RuntimeError("secret internals")

    app.add_url_rule("/test-explode", "test_explode_page", explode)

    response = client.get("/test-explode")

    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert "secret internals" not in response.get_data(as_text=True)


def test_an_unknown_page_is_an_html_404(client):
    response = client.get("/no/such/page")

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<h1>Not found</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize(("method", "path", "status"), [
    ("get", "/api/v1/me", 401),
    ("post", "/api/v1/auth/logout", 401),
    ("post", "/api/v1/me/tokens", 401),
    ("patch", "/api/v1/posts/some-post", 401),
    ("get", "/api/v1/posts/missing", 404),
    ("get", "/api/v1/posts?limit=0", 422),
    ("post", "/api/v1/auth/login", 422),
    ("post", "/api/v1/auth/register", 422),
    ("put", "/api/v1/posts", 405),
])
def test_every_api_error_is_problem_json(client, author, method, path, status):
    make_post(author, "Some post")

    response = getattr(client, method)(path, json={})

    body = assert_problem(response, status)
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]


@pytest.mark.parametrize("path", [
    "/api/v1/posts/bad%00slug",
    "/api/v1/posts?tag=bad%00tag",
    "/api/v1/posts/bad%00slug/related",
])
def test_a_nul_in_the_url_is_refused_not_a_crash(client, path):
    response = client.get(path)

    assert response.status_code in (400, 404, 422)
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("path", ["/posts/bad%00slug", "/tags/bad%00tag"])
def test_a_nul_in_a_page_url_is_refused_not_a_crash(client, path):
    response = client.get(path)

    assert response.status_code in (400, 404)
    assert response.mimetype == "text/html"


def test_an_address_too_long_is_a_414_problem_on_the_api_and_a_page_elsewhere(client):
    api = client.get("/api/v1/posts?tag=" + "x" * 8001)
    page = client.get("/?page=" + "9" * 8001)

    assert assert_problem(api, 414)["detail"] == "The address is longer than 8000 characters."
    assert page.status_code == 414 and page.mimetype == "text/html"
    assert "longer than 8000 characters" in page.get_data(as_text=True)


def test_an_address_just_within_the_limit_is_served(client):
    longest_tag = 8000 - len("/api/v1/posts") - len("tag=")
    assert client.get("/api/v1/posts?tag=" + "x" * longest_tag).status_code == 200
