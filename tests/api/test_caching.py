"""HTTP caching of public reads: shared caches for anonymous readers, private otherwise."""

from __future__ import annotations

import pytest

from tests.factories import make_post


@pytest.fixture(autouse=True)
def post(author):
    return make_post(author, "Cached story")


@pytest.mark.parametrize("path", ["/api/v1/posts", "/api/v1/posts/cached-story"])
def test_anonymous_reads_are_publicly_cacheable(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["ETag"]
    assert response.cache_control.public
    assert response.cache_control.max_age == 10
    assert "Cookie" in response.headers["Vary"]


@pytest.mark.parametrize("path", ["/api/v1/posts", "/api/v1/posts/cached-story"])
def test_a_matching_etag_answers_304(client, path):
    etag = client.get(path).headers["ETag"]

    response = client.get(path, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.get_data() == b""


def test_a_changed_list_has_a_new_etag(client, author):
    etag = client.get("/api/v1/posts").headers["ETag"]
    make_post(author, "Another story")

    response = client.get("/api/v1/posts", headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert response.headers["ETag"] != etag


def test_signed_in_reads_are_private(reader_client):
    response = reader_client.get("/api/v1/posts")

    assert response.status_code == 200
    assert response.cache_control.private
    assert not response.cache_control.public


def test_errors_are_not_cached(client):
    response = client.get("/api/v1/posts/no-such-story")

    assert response.status_code == 404
    assert not response.cache_control.public
    assert "ETag" not in response.headers
