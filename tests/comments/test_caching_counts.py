"""ETags of public threads, and GET /api/v1/comment-counts."""

from __future__ import annotations

from tests.comments.factories import assert_problem, make_comment
from tests.factories import make_post


def url(post) -> str:
    return f"/api/v1/posts/{post.slug}/comments"


def revalidate(client, path, etag):
    return client.get(path, headers={"If-None-Match": etag})


def test_anonymous_thread_has_etag_and_short_cache(client, post, reader):
    make_comment(post, reader)

    response = client.get(url(post))

    assert response.headers["ETag"]
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=10" in response.headers["Cache-Control"]
    not_modified = revalidate(client, url(post), response.headers["ETag"])
    assert not_modified.status_code == 304 and not_modified.get_data() == b""


def test_etag_changes_at_once_with_a_new_approved_comment(client, reader_client, post, reader):
    make_comment(post, reader)
    etag = client.get(url(post)).headers["ETag"]

    reader_client.post(url(post), json={"body": "Breaking"})

    response = revalidate(client, url(post), etag)
    assert response.status_code == 200 and len(response.get_json()["items"]) == 2


def test_etag_changes_with_votes_and_edits(client, reader_client, other_reader_client, post,
                                           reader):
    comment = make_comment(post, reader)
    etag = client.get(url(post)).headers["ETag"]
    other_reader_client.put(f"/api/v1/comments/{comment.id}/vote", json={"value": 1})
    assert revalidate(client, url(post), etag).status_code == 200

    etag = client.get(url(post)).headers["ETag"]
    reader_client.patch(f"/api/v1/comments/{comment.id}", json={"body": "Edited"})
    assert revalidate(client, url(post), etag).status_code == 200


def test_signed_in_answers_are_private(reader_client, post):
    response = reader_client.get(url(post))
    assert "private" in response.headers["Cache-Control"]
    assert "ETag" not in response.headers


def test_comment_counts_for_many_posts(client, post, author, reader):
    quiet = make_post(author, "Quiet one")
    draft = make_post(author, "Draft", status="draft")
    make_comment(post, reader)
    make_comment(post, reader)
    make_comment(post, reader, status="pending")
    make_comment(draft, author)

    query = f"post={post.slug}&post={quiet.slug}&post=unknown&post={draft.slug}"
    response = client.get(f"/api/v1/comment-counts?{query}")

    assert response.get_json() == {post.slug: 2, quiet.slug: 0, "unknown": 0, draft.slug: 0}
    assert response.headers["ETag"]
    assert revalidate(client, f"/api/v1/comment-counts?{query}",
                      response.headers["ETag"]).status_code == 304


def test_comment_counts_refuses_more_than_100_posts(client):
    query = "&".join(f"post=p{n}" for n in range(101))
    assert "post" in assert_problem(client.get(f"/api/v1/comment-counts?{query}"), 422)["errors"]


def test_comment_counts_refuses_a_slug_over_200_characters(client, post):
    errors = assert_problem(
        client.get(f"/api/v1/comment-counts?post={post.slug}&post={'x' * 201}"), 422)["errors"]
    assert errors == {"post": ["1: Longer than maximum length 200."]}


def test_post_detail_and_list_carry_comment_count(client, post, reader):
    make_comment(post, reader)
    assert client.get(f"/api/v1/posts/{post.slug}").get_json()["comment_count"] == 1
    assert client.get("/api/v1/posts").get_json()["items"][0]["comment_count"] == 1
