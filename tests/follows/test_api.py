"""The follow and preference endpoints."""

from __future__ import annotations

import pytest

from tests.factories import make_post


@pytest.fixture
def post(author):
    return make_post(author, "Budget day", tags=["Economy"])


@pytest.mark.parametrize("level", ["all", "replies", "muted"])
def test_following_a_post_at_each_level(reader_client, post, level):
    response = reader_client.put(f"/api/v1/me/follows/posts/{post.slug}", json={"level": level})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["type"], body["target"], body["level"]) == ("post", post.slug, level)


def test_following_again_changes_the_level_and_keeps_one_follow(reader_client, post):
    reader_client.put(f"/api/v1/me/follows/posts/{post.slug}", json={"level": "all"})
    reader_client.put(f"/api/v1/me/follows/posts/{post.slug}", json={"level": "muted"})
    items = reader_client.get("/api/v1/me/follows").get_json()["items"]
    assert [(i["type"], i["level"]) for i in items] == [("post", "muted")]


def test_follow_authors_and_tags_then_list_and_unfollow(reader_client, post, author):
    assert reader_client.put(f"/api/v1/me/follows/authors/{author.id}").status_code == 200
    assert reader_client.put("/api/v1/me/follows/tags/economy").status_code == 200
    items = reader_client.get("/api/v1/me/follows").get_json()["items"]
    assert sorted((i["type"], i["target"]) for i in items) == [
        ("author", author.id), ("tag", "economy")]
    assert all(i["created_at"] for i in items)
    assert reader_client.delete(f"/api/v1/me/follows/authors/{author.id}").status_code == 204
    assert reader_client.delete("/api/v1/me/follows/tags/economy").status_code == 204
    assert reader_client.delete("/api/v1/me/follows/tags/economy").status_code == 204
    assert reader_client.get("/api/v1/me/follows").get_json()["items"] == []


@pytest.mark.parametrize(("method", "path", "body", "status"), [
    ("put", "/api/v1/me/follows/posts/no-such-post", {"level": "all"}, 404),
    ("put", "/api/v1/me/follows/tags/no-such-tag", None, 404),
    ("put", "/api/v1/me/follows/authors/999999", None, 404),
    ("put", "/api/v1/me/follows/posts/{slug}", {"level": "loud"}, 422),
    ("put", "/api/v1/me/follows/posts/{slug}", {"level": "all", "extra": 1}, 422),
])
def test_follow_refusals(reader_client, post, method, path, body, status):
    response = getattr(reader_client, method)(path.format(slug=post.slug), json=body)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"


def test_a_reader_is_not_an_author_to_follow(reader_client, other_reader):
    response = reader_client.put(f"/api/v1/me/follows/authors/{other_reader.id}")
    assert response.status_code == 404


def test_drafts_cannot_be_followed_by_others(reader_client, author):
    draft = make_post(author, "Secret draft", status="draft")
    response = reader_client.put(f"/api/v1/me/follows/posts/{draft.slug}", json={"level": "all"})
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/api/v1/me/follows"),
    ("put", "/api/v1/me/follows/tags/economy"),
    ("delete", "/api/v1/me/follows/tags/economy"),
    ("get", "/api/v1/me/preferences"),
    ("patch", "/api/v1/me/preferences"),
])
def test_anonymous_callers_get_401(client, post, method, path):
    assert getattr(client, method)(path).status_code == 401


def test_cookie_requests_without_csrf_are_refused(reader_client, post):
    response = reader_client.put("/api/v1/me/follows/tags/economy", csrf=False)
    assert response.status_code == 403


def test_preferences_have_defaults_and_change(reader_client):
    assert reader_client.get("/api/v1/me/preferences").get_json() == {
        "email": "immediate", "auto_follow": True}
    response = reader_client.patch("/api/v1/me/preferences",
                                   json={"email": "daily", "auto_follow": False})
    assert response.status_code == 200
    assert reader_client.get("/api/v1/me/preferences").get_json() == {
        "email": "daily", "auto_follow": False}
    response = reader_client.patch("/api/v1/me/preferences", json={"email": "hourly"})
    assert response.status_code == 422
    assert "email" in response.get_json()["errors"]
