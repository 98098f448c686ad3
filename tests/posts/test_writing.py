"""The authors' writing pages: write, preview, publish, edit and unpublish without the API."""

from __future__ import annotations

import pytest

from blog.models import Post, PostStatus
from tests.factories import make_post


def submit(client, path: str, **fields):
    """Post a writing form as the browser does: its fields and the page's CSRF token."""
    form = {"title": "", "summary": "", "tags": "", "body_html": "", "status": "draft",
            "save": "1", **fields}
    return client.post(path, data={**form, "csrf_token": client.csrf_token()}, csrf=False)


def post_named(db, title: str) -> Post:
    return db.session.query(Post).filter_by(title=title).one()


def test_an_author_writes_a_draft_then_publishes_it(author_client, client, db):
    saved = submit(author_client, "/write/new", title="Harbour dredging to start",
                   summary="Work begins in May.", tags="Local, Transport",
                   body_html="<p>The channel <b>silted</b> up.</p>")
    assert saved.status_code == 303
    post = post_named(db, "Harbour dredging to start")
    assert saved.headers["Location"].endswith(f"/write/{post.slug}/edit")
    assert post.status == PostStatus.DRAFT
    assert sorted(tag.name for tag in post.tags) == ["Local", "Transport"]
    assert client.get(f"/posts/{post.slug}").status_code == 404  # a draft is the author's

    listed = author_client.get("/write").get_data(as_text=True)
    assert "Harbour dredging to start" in listed and "Draft" in listed

    published = submit(author_client, f"/write/{post.slug}/edit", title=post.title,
                       body_html=post.body_html, tags="Local", status="published")
    assert published.status_code == 303
    assert published.headers["Location"].endswith(f"/posts/{post.slug}")
    page = client.get(f"/posts/{post.slug}").get_data(as_text=True)
    assert "<b>silted</b>" in page


def test_preview_shows_the_sanitized_body_and_saves_nothing(author_client, db):
    response = author_client.post("/write/new", data={
        "title": "A preview", "summary": "", "tags": "", "status": "draft", "preview": "1",
        "body_html": "<p>Seen</p><script>alert(1)</script>",
        "csrf_token": author_client.csrf_token()}, csrf=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview (not saved)" in page and "<p>Seen</p>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in page  # kept, escaped
    assert page.count("alert(1)") == 1  # and the preview drops the script with its text
    assert db.session.query(Post).filter_by(title="A preview").count() == 0


def test_a_refused_post_keeps_the_text_and_says_why(author_client, db):
    body = "<p>" + "A long careful paragraph. " * 20 + "</p>"
    response = submit(author_client, "/write/new", title="", body_html=body)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "A long careful paragraph." in page
    assert 'class="field-error"' in page
    assert db.session.query(Post).count() == 0


def test_a_title_over_the_api_limit_is_refused_on_the_page(author_client):
    response = submit(author_client, "/write/new", title="T" * 301)
    assert response.status_code == 422
    assert 'maxlength="300"' in response.get_data(as_text=True)


def test_a_title_with_markup_gives_a_clean_slug(author_client, db):
    submit(author_client, "/write/new", title="<b>Budget</b> day &amp; night")
    post = db.session.query(Post).one()
    assert post.slug == "budget-day-night"


def test_unpublish_takes_a_post_back_to_draft(author, author_client, client, db):
    post = make_post(author, "Going back")
    assert client.get(f"/posts/{post.slug}").status_code == 200
    response = author_client.post(f"/write/{post.slug}/unpublish",
                                  data={"csrf_token": author_client.csrf_token()}, csrf=False)
    assert response.status_code == 303
    db.session.refresh(post)
    assert post.status == PostStatus.DRAFT
    assert client.get(f"/posts/{post.slug}").status_code == 404


def test_the_edit_form_is_filled_and_keeps_edits_on_error(author, author_client):
    post = make_post(author, "Filled in", tags=["Science"], body_html="<p>Original.</p>")
    page = author_client.get(f"/write/{post.slug}/edit").get_data(as_text=True)
    assert 'value="Filled in"' in page and "Science" in page and "Original." in page
    refused = submit(author_client, f"/write/{post.slug}/edit", title="",
                     body_html="<p>My new words.</p>")
    assert refused.status_code == 422
    assert "My new words." in refused.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/write", "/write/new"])
def test_readers_may_not_write_and_visitors_are_sent_to_sign_in(reader_client, client, path):
    assert reader_client.get(path).status_code == 403
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_author_may_not_edit_another_authors_post(admin, author_client, admin_client):
    post = make_post(admin, "The editor's post")
    assert author_client.get(f"/write/{post.slug}/edit").status_code == 403
    assert admin_client.get(f"/write/{post.slug}/edit").status_code == 200


def test_the_article_offers_its_author_an_edit_link(author, author_client, reader_client):
    post = make_post(author, "Edit me")
    assert f"/write/{post.slug}/edit" in author_client.get(f"/posts/{post.slug}").get_data(
        as_text=True)
    assert "/write/" not in reader_client.get(f"/posts/{post.slug}").get_data(as_text=True)
