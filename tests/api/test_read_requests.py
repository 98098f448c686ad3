"""Safe requests skip the COMMIT only when they changed nothing; the anonymous shortcuts."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select, update

from blog.auth.security import current_user_or_none
from blog.extensions import db
from blog.models import Post
from tests.factories import make_post


@pytest.fixture
def commits(app):
    """Count the outer transactions the session commits."""
    seen = []

    def count(session):
        seen.append(1)

    event.listen(db.session, "after_commit", count)
    yield seen
    event.remove(db.session, "after_commit", count)


def title_of(post) -> str:
    db.session.expire_all()
    return db.session.scalar(select(Post.title).where(Post.id == post.id))


def test_a_read_only_get_commits_nothing(client, commits, author):
    post = make_post(author, "Read me")
    commits.clear()

    assert client.get(f"/api/v1/posts/{post.slug}/comments").status_code == 200
    assert client.get("/api/v1/posts").status_code == 200

    assert commits == []


def test_a_get_that_changed_an_entity_still_commits(app, client, author):
    post = make_post(author, "Before")

    @app.get("/test-only/rename-by-attribute")
    def rename_by_attribute():
        db.session.get(Post, post.id).title = "After"
        return "ok"

    assert client.get("/test-only/rename-by-attribute").status_code == 200
    assert title_of(post) == "After"


def test_a_get_that_flushed_still_commits(app, client, author):
    post = make_post(author, "Before")

    @app.get("/test-only/rename-and-flush")
    def rename_and_flush():
        db.session.get(Post, post.id).title = "Flushed"
        db.session.flush()
        return "ok"

    assert client.get("/test-only/rename-and-flush").status_code == 200
    assert title_of(post) == "Flushed"


def test_a_get_that_ran_an_update_statement_still_commits(app, client, author):
    post = make_post(author, "Before")

    @app.get("/test-only/rename-by-statement")
    def rename_by_statement():
        db.session.execute(update(Post).where(Post.id == post.id).values(title="Updated"))
        return "ok"

    assert client.get("/test-only/rename-by-statement").status_code == 200
    assert title_of(post) == "Updated"


@pytest.mark.parametrize(("headers", "anonymous"), [
    ({}, True),
    ({"Authorization": "Bearer not-a-token"}, True),
    ({"Cookie": "unrelated=1"}, True),
])
def test_requests_without_credentials_are_anonymous(app, headers, anonymous):
    with app.test_request_context("/", headers=headers):
        assert (current_user_or_none() is None) is anonymous


def test_a_bearer_token_still_signs_in(app, client, reader):
    from blog.services.accounts import create_api_token

    token = create_api_token(reader, "test")
    db.session.commit()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json()["id"] == reader.id


def test_anonymous_answers_set_no_session_cookie(client, author):
    post = make_post(author, "Cookie-free")
    response = client.get(f"/api/v1/posts/{post.slug}/comments")
    assert "Set-Cookie" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
