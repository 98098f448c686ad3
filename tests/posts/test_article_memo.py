"""Anonymous article pages come from the memo of thread pages: one page for every anonymous
reader, revalidated by ETag, and never older than the post, its comments or its related list."""

from __future__ import annotations

import pytest

from blog.models import CommentStatus
from blog.services import thread_cache
from tests.comments.factories import make_comment
from tests.factories import make_post


@pytest.fixture(autouse=True)
def no_moderation_holds(app):
    """Readers' comments go straight up (the pipeline holds a user's first comments)."""
    app.config["MODERATION_NEW_USER_APPROVED"] = 0


@pytest.fixture
def story(author):
    return make_post(author, "Harbour ferry fares rise", tags=["Transport"],
                     body_html="<p>Ferry fares on the harbour route rise by a fifth.</p>")


def page_of(client, post, query: str = "") -> str:
    response = client.get(f"/posts/{post.slug}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_anonymous_readers_share_one_page_with_no_session_in_it(app, client, story, reader):
    make_comment(story, reader, "Fares were already high.")
    first = client.get(f"/posts/{story.slug}")
    second = app.test_client().get(f"/posts/{story.slug}")

    assert second.get_data() == first.get_data()
    assert len(thread_cache.memo()) >= 1
    assert "Fares were already high." in second.get_data(as_text=True)
    assert 'name="csrf_token"' not in second.get_data(as_text=True)
    assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers
    assert second.headers["Cache-Control"] == "public, no-cache"
    assert {"Cookie", "Authorization"} <= set(second.vary)
    assert second.headers["ETag"] == first.headers["ETag"]


def test_a_browser_revalidates_the_page_for_a_304(client, story, reader):
    etag = client.get(f"/posts/{story.slug}").headers["ETag"]

    unchanged = client.get(f"/posts/{story.slug}", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""

    make_comment(story, reader, "A new comment changes the page.")
    changed = client.get(f"/posts/{story.slug}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "A new comment changes the page." in changed.get_data(as_text=True)


def test_an_approved_comment_shows_at_once(client, moderator_client, story, reader):
    held = make_comment(story, reader, "Waiting for a moderator", status=CommentStatus.PENDING)
    assert "Waiting for a moderator" not in page_of(client, story)

    moderator_client.post(f"/api/v1/moderation/comments/{held.id}", json={"action": "approve"})

    assert "Waiting for a moderator" in page_of(client, story)


def test_an_edited_post_shows_at_once(client, author_client, story):
    page_of(client, story)

    author_client.patch(f"/api/v1/posts/{story.slug}", json={
        "title": "Harbour ferry fares rise by a fifth", "body_html": "<p>Corrected figures.</p>"})

    page = page_of(client, story)
    assert "Harbour ferry fares rise by a fifth" in page and "Corrected figures." in page


def test_changed_tags_show_at_once(client, author_client, story):
    assert "/tags/transport" in page_of(client, story)

    response = author_client.patch(f"/api/v1/posts/{story.slug}", json={"tags": ["Business"]})
    assert response.status_code == 200

    page = page_of(client, story)
    assert "/tags/business" in page and "/tags/transport" not in page


def test_closed_comments_show_at_once(client, moderator_client, story):
    assert 'class="comment-form"' not in page_of(client, story)  # anonymous: a sign-in link
    assert "closed" not in page_of(client, story).lower()

    moderator_client.patch(f"/api/v1/posts/{story.slug}", json={"comments_open": False})

    assert "closed" in page_of(client, story).lower()


def test_a_renamed_author_shows_at_once(client, author_client, story):
    page_of(client, story)

    author_client.patch("/api/v1/me", json={"display_name": "Ada Harbourmaster"})

    assert "Ada Harbourmaster" in page_of(client, story)


def test_a_new_related_post_shows_at_once(client, author, story):
    page_of(client, story)

    make_post(author, "Ferry fares on the harbour route", tags=["Transport"],
              body_html="<p>Harbour ferry fares rise again for the harbour route.</p>")

    assert 'href="/posts/ferry-fares-on-the-harbour-route"' in page_of(client, story)


def test_sorts_and_pages_are_told_apart(client, story, reader, other_reader):
    make_comment(story, reader, "Older comment", minutes_ago=10)
    make_comment(story, other_reader, "Newer comment")

    oldest, newest = page_of(client, story), page_of(client, story, "?sort=newest")

    assert oldest.index("Older comment") < oldest.index("Newer comment")
    assert newest.index("Newer comment") < newest.index("Older comment")


def test_a_flash_reaches_only_the_reader_it_was_for(client, story):
    page_of(client, story)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Check your inbox to confirm.")]

    assert "Check your inbox to confirm." in page_of(client, story)
    assert "Check your inbox to confirm." not in page_of(client, story)  # shown once
    assert "Check your inbox to confirm." not in page_of(client.application.test_client(), story)


def test_signed_in_readers_get_their_own_page(client, reader_client, story, reader):
    page_of(client, story)

    response = reader_client.get(f"/posts/{story.slug}")

    page = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert 'name="csrf_token"' in page and "Sign out" in page
    assert "Sign out" not in page_of(client, story)


def test_an_unpublished_post_leaves_at_once_and_drafts_never_show(client, author_client,
                                                                  author, story):
    page_of(client, story)
    draft = make_post(author, "Embargoed until noon", status="draft")

    author_client.patch(f"/api/v1/posts/{story.slug}", json={"status": "draft"})

    for slug in (story.slug, draft.slug, "no-such-story"):
        response = client.get(f"/posts/{slug}")
        assert response.status_code == 404 and response.mimetype == "text/html"
    assert author_client.get(f"/posts/{draft.slug}").status_code == 200
