"""The article page renders the thread on the server and takes comments from its form."""

from __future__ import annotations

import html5lib

from tests.comments.factories import fresh, make_comment


def page(client, post, query: str = "") -> str:
    response = client.get(f"/posts/{post.slug}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def form_post(client, post, **fields):
    token = client.csrf_token()
    return client.post(f"/posts/{post.slug}/comments", data={"csrf_token": token, **fields},
                       csrf=False)


def test_thread_is_in_the_html_for_anonymous_readers(client, post, reader, other_reader):
    top = make_comment(post, reader, "Is the **wall** tall enough?")
    make_comment(post, other_reader, "Two metres, says the council.", parent=top)
    make_comment(post, reader, "Not for everyone", status="pending")

    html = page(client, post)

    assert "Is the <strong>wall</strong> tall enough?" in html
    assert "Two metres, says the council." in html
    assert "Not for everyone" not in html
    assert f'id="comment-{top.id}"' in html
    assert "Sign in</a> to join the discussion" in html
    assert 'name="body"' not in html


def test_signed_in_reader_gets_csrf_protected_forms(reader_client, post, other_reader):
    make_comment(post, other_reader)
    document = html5lib.parse(page(reader_client, post), namespaceHTMLElements=False)

    forms = [f for f in document.iter("form") if f.get("action", "").endswith("/comments")]
    assert len(forms) == 2  # the reply form under the comment and the new-comment form
    for form in forms:
        names = {field.get("name") for field in form.iter("input")}
        assert "csrf_token" in names
    assert any(f.find(".//input[@name='parent_id']") is not None for f in forms)


def test_form_comment_redirects_to_it(reader_client, post):
    response = form_post(reader_client, post, body="From the *form*")

    assert response.status_code == 303
    assert "#comment-" in response.headers["Location"]
    assert "From the <em>form</em>" in page(reader_client, post)
    assert fresh(post).comment_count == 1


def test_form_reply(reader_client, post, other_reader):
    top = make_comment(post, other_reader)
    form_post(reader_client, post, body="A reply", parent_id=str(top.id))
    assert fresh(top).reply_count == 1


def test_empty_form_shows_the_article_again_with_the_error(reader_client, post):
    response = form_post(reader_client, post, body="   ")
    assert response.status_code == 422
    assert 'class="field-error"' in response.get_data(as_text=True)


def test_form_without_csrf_token_is_refused(reader_client, post):
    response = reader_client.post(f"/posts/{post.slug}/comments", data={"body": "x"}, csrf=False)
    assert response.status_code == 403
    assert fresh(post).comment_count == 0


def test_anonymous_form_post_goes_to_sign_in(client, post):
    response = client.post(f"/posts/{post.slug}/comments", data={"body": "x"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_closed_post_shows_no_form(reader_client, closed_post):
    html = page(reader_client, closed_post)
    assert "Comments on this article are closed." in html and 'name="body"' not in html
    assert form_post(reader_client, closed_post, body="x").status_code == 403


def test_deleted_comment_is_a_placeholder_on_the_page(client, reader_client, post, reader,
                                                      other_reader):
    top = make_comment(post, reader, "Secret original text")
    make_comment(post, other_reader, "Still here", parent=top)
    reader_client.delete(f"/api/v1/comments/{top.id}")

    html = page(client, post)

    assert "Secret original text" not in html
    assert "This comment was removed." in html and "Still here" in html


def test_sort_links_and_pager(client, post, reader):
    for n in range(3):
        make_comment(post, reader, f"number {n}", minutes_ago=10 - n)
    html = page(client, post, "?sort=newest")
    assert html.index("number 2") < html.index("number 0")
    assert "sort=top" in html
