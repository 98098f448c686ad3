"""The reader-facing pages: front page, tag pages and the article page."""

from __future__ import annotations

import pytest

from tests.factories import make_post


@pytest.fixture
def stories(author):
    return [
        make_post(author, "Harbour bridge reopens", tags=["Local"], hours_ago=3,
                  summary="Traffic flows again."),
        make_post(author, "New vaccine trial", tags=["Science", "Health"], hours_ago=1,
                  body_html="<h2>Results</h2><p>Promising early data.</p>"),
        make_post(author, "Unpublished scoop", status="draft"),
    ]


def test_the_front_page_lists_published_posts_newest_first(client, stories):
    page = client.get("/").get_data(as_text=True)

    assert 'href="/posts/new-vaccine-trial"' in page
    assert 'href="/posts/harbour-bridge-reopens"' in page
    assert page.index("New vaccine trial") < page.index("Harbour bridge reopens")
    assert "Traffic flows again." in page
    assert "Unpublished scoop" not in page


def test_the_front_page_pages_through_older_posts(client, author):
    for number in range(12):
        make_post(author, f"Story {number}", hours_ago=number)

    first = client.get("/").get_data(as_text=True)
    assert "Story 9" in first and "Story 10" not in first
    assert 'rel="next"' in first
    next_link = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(next_link).get_data(as_text=True)
    assert "Story 10" in second and "Story 11" in second and "Story 9<" not in second


def test_a_tag_page_lists_that_tags_posts(client, stories):
    response = client.get("/tags/science")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Science</h1>" in page
    assert "New vaccine trial" in page
    assert "Harbour bridge reopens" not in page


def test_an_unknown_tag_page_is_404(client):
    response = client.get("/tags/no-such-tag")

    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_the_article_page_shows_the_post(client, stories, author):
    response = client.get("/posts/new-vaccine-trial")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>New vaccine trial</h1>" in page
    assert "By Ada Author" in page
    assert 'href="/tags/science"' in page and ">Health</a>" in page
    assert "<h2>Results</h2><p>Promising early data.</p>" in page
    assert "<time datetime=" in page


@pytest.mark.parametrize(("who", "status"), [
    ("client", 404),
    ("reader_client", 404),
    ("author_client", 200),
    ("admin_client", 200),
])
def test_a_draft_article_is_visible_only_to_its_author_and_admins(request, stories, who, status):
    client = request.getfixturevalue(who)

    assert client.get("/posts/unpublished-scoop").status_code == status


def test_pages_carry_the_security_headers(client, stories):
    response = client.get("/posts/new-vaccine-trial")

    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_api_answers_carry_the_security_headers(client):
    response = client.get("/api/v1/posts")

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
