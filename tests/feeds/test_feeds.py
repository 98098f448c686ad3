"""Atom feeds: valid documents with ids, updated times and absolute links."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from blog.models import CommentStatus
from tests.factories import make_post
from tests.notifications.helpers import make_comment

NS = {"a": "http://www.w3.org/2005/Atom"}


def parse(response):
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.get_data())


def assert_valid_atom(feed):
    """Check the Atom (RFC 4287) musts: feed and entry ids, titles, updated, authors, links."""
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"a:{name}", NS).text
    assert feed.find("a:link[@rel='self']", NS).get("href").startswith("http://blog.test/")
    for entry in feed.findall("a:entry", NS):
        for name in ("id", "title", "updated"):
            assert entry.find(f"a:{name}", NS).text
        assert entry.find("a:author/a:name", NS).text
        # A link without rel is rel="alternate" (RFC 4287, 4.2.7.2).
        links = [link for link in entry.findall("a:link", NS)
                 if link.get("rel", "alternate") == "alternate"]
        assert links and links[0].get("href").startswith("http://blog.test/")


def titles(feed):
    return [entry.find("a:title", NS).text for entry in feed.findall("a:entry", NS)]


def test_the_posts_feed_lists_published_posts_newest_first(client, author):
    make_post(author, "Older", hours_ago=2)
    make_post(author, "Newer", hours_ago=1)
    make_post(author, "A draft", status="draft")
    feed = parse(client.get("/feeds/posts.atom"))
    assert_valid_atom(feed)
    assert titles(feed) == ["Newer", "Older"]
    assert feed.find("a:entry/a:id", NS).text == "http://blog.test/posts/newer"


def test_a_tag_feed_has_only_that_tags_posts(client, author):
    make_post(author, "Goal", tags=["Sport"])
    make_post(author, "Budget", tags=["Economy"])
    feed = parse(client.get("/feeds/tags/sport.atom"))
    assert_valid_atom(feed)
    assert titles(feed) == ["Goal"]
    assert client.get("/feeds/tags/nope.atom").status_code == 404


def test_the_comments_feed_has_approved_comments_only(client, author, reader):
    post = make_post(author, "Debate")
    make_comment(post, reader, body="Visible")
    make_comment(post, reader, body="Held", status=CommentStatus.PENDING)
    make_comment(post, reader, body="Spam", status=CommentStatus.SPAM)
    feed = parse(client.get(f"/feeds/posts/{post.slug}/comments.atom"))
    assert_valid_atom(feed)
    contents = [e.find("a:content", NS).text for e in feed.findall("a:entry", NS)]
    assert contents == ["<p>Visible</p>"]


def test_an_empty_feed_is_still_valid(client, author):
    post = make_post(author, "Quiet")
    assert_valid_atom(parse(client.get(f"/feeds/posts/{post.slug}/comments.atom")))


def test_a_drafts_comment_feed_is_not_found(client, author):
    draft = make_post(author, "Draft", status="draft")
    assert client.get(f"/feeds/posts/{draft.slug}/comments.atom").status_code == 404


@pytest.mark.parametrize(("path", "feed"), [
    ("/", "/feeds/posts.atom"),
    ("/tags/sport", "/feeds/tags/sport.atom"),
    ("/posts/goal", "/feeds/posts/goal/comments.atom"),
])
def test_pages_link_their_feeds(client, author, path, feed):
    make_post(author, "Goal", tags=["Sport"])
    page = client.get(path).get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert f'href="http://localhost{feed}"' in page or f'href="http://blog.test{feed}"' in page
