"""Posting is rate-limited per account, with 429 and Retry-After."""

from __future__ import annotations

import re

import pytest

from blog import create_app
from blog.extensions import db as _db
from config import TestingConfig
from tests.comments.factories import assert_problem
from tests.conftest import empty_all_tables


@pytest.fixture
def app(database_url, tmp_path):
    """The app with rate limits on, and a budget of two comments a minute."""
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_ENABLED = True
        COMMENT_RATE_LIMIT = "2 per minute;50 per hour"

    app = create_app(Config)
    with app.app_context():
        yield app
        _db.session.remove()
        empty_all_tables(database_url)
        _db.engine.dispose()


def url(post) -> str:
    return f"/api/v1/posts/{post.slug}/comments"


def test_third_comment_in_a_minute_is_429_with_retry_after(reader_client, other_reader_client,
                                                           post):
    for n in range(2):
        assert reader_client.post(url(post), json={"body": f"n{n}"}).status_code == 201

    refused = reader_client.post(url(post), json={"body": "one more"})

    assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) > 0
    # The budget is per account, not per address: another reader may still post.
    assert other_reader_client.post(url(post), json={"body": "me too"}).status_code == 201


def test_the_article_form_shares_the_budget(reader_client, post):
    for n in range(2):
        reader_client.post(url(post), json={"body": f"n{n}"})

    response = reader_client.post(f"/posts/{post.slug}/comments",
                                  data={"body": "via the form"}, csrf=False,
                                  headers={"X-CSRF-Token": reader_client.csrf_token()})

    assert response.status_code == 429


def test_idempotent_retry_is_not_counted(reader_client, post):
    headers = {"Idempotency-Key": "retry-me"}
    reader_client.post(url(post), json={"body": "first"}, headers=headers)
    reader_client.post(url(post), json={"body": "second"})

    again = reader_client.post(url(post), json={"body": "first"}, headers=headers)

    assert again.status_code == 201


def test_the_form_over_the_limit_keeps_the_text_and_says_when(reader_client, post):
    for n in range(2):
        assert reader_client.post(url(post), json={"body": f"n{n}"}).status_code == 201

    response = reader_client.post(f"/posts/{post.slug}/comments",
                                  data={"body": "My carefully written third point"},
                                  csrf=False, headers={"X-CSRF-Token": reader_client.csrf_token()})

    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "My carefully written third point</textarea>" in html
    assert re.search(r"Your text is kept: try again in \d+ (s|min)\.", html)
    assert int(response.headers["Retry-After"]) > 0


def test_refused_comments_do_not_count_against_the_limit(reader_client, post):
    headers = {"X-CSRF-Token": reader_client.csrf_token()}
    for _ in range(3):
        empty = reader_client.post(f"/posts/{post.slug}/comments", data={"body": "   "},
                                   csrf=False, headers=headers)
        assert empty.status_code == 422
        assert "Write your comment before posting." in empty.get_data(as_text=True)

    for n in range(2):
        assert reader_client.post(url(post), json={"body": f"n{n}"}).status_code == 201
