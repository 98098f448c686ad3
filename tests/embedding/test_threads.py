"""Threads keyed by the host page's URL: canonical_url on posts, PUT /threads, counts by URL."""

from __future__ import annotations

import pytest

from blog.models import Post
from blog.services import accounts
from blog.services.canonical_urls import normalise_url
from blog.services.errors import ValidationFailed
from tests.comments.factories import make_comment
from tests.factories import make_post, make_user
from tests.helpers import assert_problem

HOST = "https://news.example.com"


@pytest.mark.parametrize(("written", "canonical"), [
    ("HTTPS://News.Example.COM/a", "https://news.example.com/a"),
    ("https://news.example.com:443/a#comments", "https://news.example.com/a"),
    ("http://news.example.com:80/a?id=7", "http://news.example.com/a?id=7"),
    ("https://news.example.com:8443/a", "https://news.example.com:8443/a"),
    ("https://news.example.com", "https://news.example.com/"),
    ("https://user:pw@news.example.com/a", "https://news.example.com/a"),
    ("  https://news.example.com/A/B  ", "https://news.example.com/A/B"),
])
def test_one_article_is_one_address_however_it_is_written(written, canonical):
    assert normalise_url(written) == canonical


@pytest.mark.parametrize("bad", ["news.example.com/a", "javascript:alert(1)", "ftp://x.org/a",
                                 "https://", "https://news.example.com:99999/a"])
def test_an_address_that_is_not_http_is_refused(bad):
    with pytest.raises(ValidationFailed):
        normalise_url(bad)


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {accounts.create_api_token(user, 'embed')}"}


def test_an_author_sets_a_canonical_url_and_the_posts_list_finds_it(client, author_client):
    created = author_client.post("/api/v1/posts", json={
        "title": "Harbour wall", "status": "published",
        "canonical_url": "HTTPS://News.Example.com/harbour#top"})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["canonical_url"] == f"{HOST}/harbour"

    found = client.get("/api/v1/posts", query_string={"url": f"{HOST}:443/harbour"}).get_json()
    missing = client.get("/api/v1/posts", query_string={"url": f"{HOST}/elsewhere"}).get_json()

    assert [post["slug"] for post in found["items"]] == ["harbour-wall"]
    assert missing["items"] == []


def test_a_canonical_url_belongs_to_one_post(author, author_client):
    make_post(author, "First", canonical_url=f"{HOST}/a")
    second = make_post(author, "Second")

    response = author_client.patch(f"/api/v1/posts/{second.slug}",
                                   json={"canonical_url": f"{HOST}/a#again"})

    assert assert_problem(response, 409)["detail"] == "Another post already has this canonical URL."


def test_a_bad_canonical_url_is_named(author_client):
    response = author_client.post("/api/v1/posts", json={"title": "T", "canonical_url": "nope"})
    assert_problem(response, 422, errors_for="canonical_url")


def test_put_thread_makes_the_thread_once_for_an_author(client, author, db):
    headers = bearer(author)
    db.session.commit()

    first = client.put("/api/v1/threads", json={"url": f"{HOST}/a?x=1#c", "title": "A story"},
                       headers=headers)
    again = client.put("/api/v1/threads", json={"url": "https://NEWS.example.com/a?x=1",
                                                "title": "Another title"}, headers=headers)

    assert first.status_code == 201, first.get_json()
    assert again.status_code == 200
    body = first.get_json()
    assert (body["title"], body["canonical_url"], body["comments_open"], body["status"]) == (
        "A story", f"{HOST}/a?x=1", True, "published")
    assert again.get_json()["slug"] == body["slug"]
    assert db.session.query(Post).count() == 1


def test_anyone_makes_a_thread_only_from_an_embedding_site_with_auto_create(app, client, db):
    url = {"url": f"{HOST}/new", "title": "New story"}
    refused = client.put("/api/v1/threads", json=url, headers={"Origin": HOST})
    app.config.update(EMBED_AUTO_CREATE=True, EMBED_ORIGINS=[HOST])
    stranger = client.put("/api/v1/threads", json=url, headers={"Origin": "https://evil.test"})
    allowed = client.put("/api/v1/threads", json=url, headers={"Origin": HOST})

    assert_problem(refused, 403)
    assert_problem(stranger, 403)
    assert allowed.status_code == 201
    assert allowed.get_json()["author"]["display_name"] == "The newsroom"
    assert db.session.query(Post).count() == 1


def test_an_existing_thread_is_given_to_anyone(client, author):
    make_post(author, "Old story", canonical_url=f"{HOST}/old")
    response = client.put("/api/v1/threads", json={"url": f"{HOST}/old", "title": "x"})
    assert response.status_code == 200 and response.get_json()["title"] == "Old story"


def test_a_thread_needs_a_valid_url_and_title(client, author, db):
    headers = bearer(author)
    db.session.commit()
    assert_problem(client.put("/api/v1/threads", json={"url": "x", "title": "T"},
                              headers=headers), 422, errors_for="url")
    assert_problem(client.put("/api/v1/threads", json={"url": f"{HOST}/a"},
                              headers=headers), 422, errors_for="title")


def test_comment_counts_by_url_are_keyed_as_sent(client, author):
    reader = make_user()
    post = make_post(author, "Counted", canonical_url=f"{HOST}/counted")
    make_comment(post, reader, "One.", status="approved")
    make_comment(post, reader, "Two.", status="approved")
    make_comment(post, reader, "Held.", status="pending")
    sent = ["HTTPS://news.example.com/counted#comments", f"{HOST}/none"]

    counts = client.get("/api/v1/comment-counts", query_string={"url": sent}).get_json()

    assert counts == {sent[0]: 2, sent[1]: 0}


def test_comment_counts_refuse_a_bad_url(client):
    response = client.get("/api/v1/comment-counts", query_string={"url": "javascript:x"})
    assert_problem(response, 422, errors_for="url")
