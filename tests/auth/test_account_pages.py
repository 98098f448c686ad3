"""The account settings page: name, password, email preference, data download, deletion."""

from __future__ import annotations

import json

import pytest

from blog.extensions import db
from blog.models import User
from tests.auth.forms import submit
from tests.comments.factories import make_comment
from tests.factories import PASSWORD, ApiClient, make_post

FORMS = [
    ("/account/name", {"display_name": "Rita R."}),
    ("/account/password", {"current_password": PASSWORD, "new_password": "a new long password"}),
    ("/account/email", {"email": "off"}),
    ("/account/delete", {"password": PASSWORD}),
]


def settings(client, action: str, data: dict):
    return submit(client, "/account", action, data)


def fresh_client(app) -> ApiClient:
    app.test_client_class = ApiClient
    return app.test_client()


def can_sign_in(app, email: str, password: str) -> bool:
    response = fresh_client(app).post("/api/v1/auth/login",
                                      json={"email": email, "password": password})
    return response.status_code == 200


def test_the_account_page_needs_a_signed_in_reader(client):
    response = client.get("/account")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/account")


def test_the_header_links_to_the_account_page(reader_client):
    page = reader_client.get("/").get_data(as_text=True)

    assert '<a href="/account">Account</a>' in page


def test_the_account_page_shows_every_setting_with_the_api_limits(reader_client, reader):
    page = reader_client.get("/account").get_data(as_text=True)

    assert page.count('name="csrf_token"') >= 4  # name, password, email, sign out
    assert f'value="{reader.display_name}" required maxlength="80"' in page
    assert 'name="new_password" required minlength="10" maxlength="1024"' in page
    assert 'value="immediate" checked' in page
    assert 'href="/account/export"' in page and 'href="/account/delete"' in page


@pytest.mark.parametrize(("action", "data"), FORMS, ids=[action for action, _ in FORMS])
def test_every_account_form_is_refused_without_the_csrf_token(reader_client, reader, action,
                                                              data):
    response = reader_client.post(action, data=data, csrf=False)

    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(User, reader.id).display_name == "Rita Reader"
    assert can_sign_in(reader_client.application, reader.email, PASSWORD)


# --- Display name -----------------------------------------------------------------------------

def test_changing_the_display_name(reader_client):
    response = settings(reader_client, "/account/name", {"display_name": "  Rita R.  "})

    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    page = reader_client.get("/account").get_data(as_text=True)
    assert "Your display name is now Rita R.." in page
    assert reader_client.get("/api/v1/me").get_json()["display_name"] == "Rita R."


@pytest.mark.parametrize(("name", "message"), [
    ("   ", "Enter a display name."),
    ("x" * 81, "Keep your display name to 80 characters."),
    ("Evil\u202eName", "Contains invisible or direction-changing characters."),
])
def test_a_bad_display_name_is_refused_with_a_sentence(reader_client, name, message):
    response = settings(reader_client, "/account/name", {"display_name": name})

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert reader_client.get("/api/v1/me").get_json()["display_name"] == "Rita Reader"


def test_a_new_name_shows_on_threads_already_seen(app, client, reader_client, reader, author):
    post = make_post(author, "Harbour works")
    make_comment(post, reader, "The cranes are back.", status="approved")
    assert "Rita Reader" in client.get(f"/posts/{post.slug}").get_data(as_text=True)

    settings(reader_client, "/account/name", {"display_name": "Rita Renamed"})

    article = client.get(f"/posts/{post.slug}").get_data(as_text=True)
    api = client.get(f"/api/v1/posts/{post.slug}/comments").get_json()
    assert "Rita Renamed" in article and "Rita Reader" not in article
    assert api["items"][0]["author"]["display_name"] == "Rita Renamed"


def test_the_api_changes_the_name_too(reader_client):
    response = reader_client.patch("/api/v1/me", json={"display_name": "Rita API"})

    assert response.status_code == 200
    assert response.get_json()["display_name"] == "Rita API"


# --- Password ---------------------------------------------------------------------------------

def test_changing_the_password_keeps_this_session_and_ends_the_others(app, reader_client,
                                                                     reader):
    other_session = fresh_client(app)
    other_session.sign_in(reader.email)

    response = settings(reader_client, "/account/password",
                        {"current_password": PASSWORD, "new_password": "a new long password"})

    assert response.status_code == 302
    assert "Your password is changed." in reader_client.get("/account").get_data(as_text=True)
    assert reader_client.get("/api/v1/me").status_code == 200
    assert other_session.get("/api/v1/me").status_code == 401
    assert can_sign_in(app, reader.email, "a new long password")
    assert not can_sign_in(app, reader.email, PASSWORD)


@pytest.mark.parametrize(("data", "message"), [
    ({"current_password": "not my password", "new_password": "a new long password"},
     "This is not your current password."),
    ({"current_password": "", "new_password": "a new long password"},
     "Enter your current password."),
    ({"current_password": PASSWORD, "new_password": "short"},
     "Choose a password of at least 10 characters (and at most 1,024)."),
    ({"current_password": PASSWORD, "new_password": ""}, "Enter a new password."),
])
def test_a_refused_password_change_says_why_and_changes_nothing(app, reader_client, reader,
                                                                data, message):
    response = settings(reader_client, "/account/password", data)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert "a new long password" not in page
    assert can_sign_in(app, reader.email, PASSWORD)


# --- Email preference -------------------------------------------------------------------------

@pytest.mark.parametrize("choice", ["daily", "off", "immediate"])
def test_choosing_how_often_we_email(reader_client, choice):
    response = settings(reader_client, "/account/email", {"email": choice})

    assert response.status_code == 302
    assert reader_client.get("/api/v1/me/preferences").get_json()["email"] == choice
    assert f'value="{choice}" checked' in reader_client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Choose how often we may email you."),
    ({"email": "hourly"}, "Must be one of: immediate, daily, off."),
])
def test_a_bad_email_choice_is_refused_with_a_sentence(reader_client, data, message):
    response = settings(reader_client, "/account/email", data)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert reader_client.get("/api/v1/me/preferences").get_json()["email"] == "immediate"


# --- Download my data -------------------------------------------------------------------------

def test_download_my_data_is_a_json_file_of_mine_without_internals(reader_client, reader,
                                                                   author):
    post = make_post(author, "Harbour works")
    make_comment(post, reader, "The cranes are back.", status="approved")

    response = reader_client.get("/account/export")

    disposition = response.headers["Content-Disposition"]
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert disposition.startswith("attachment; filename=")
    assert disposition.endswith('.json"')
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == reader.email
    assert [c["body"] for c in data["comments"]] == ["The cranes are back."]
    text = response.get_data(as_text=True)
    for internal in ("text_key", "idempotency_key", "password_hash", "session_version"):
        assert internal not in text


def test_the_download_matches_the_api_export(reader_client):
    page = json.loads(reader_client.get("/account/export").get_data(as_text=True))
    api = reader_client.get("/api/v1/me/export").get_json()

    page.pop("exported_at"), api.pop("exported_at")
    assert page == api


# --- Delete my account ------------------------------------------------------------------------

def test_the_delete_page_asks_for_the_password(reader_client):
    page = reader_client.get("/account/delete").get_data(as_text=True)

    assert 'name="password"' in page and 'name="csrf_token"' in page
    assert "cannot be undone" in page


@pytest.mark.parametrize(("password", "status", "message"), [
    ("", 422, "Enter your password to confirm."),
    ("not my password", 403, "The password is not right."),
])
def test_deleting_needs_the_right_password(app, reader_client, reader, password, status,
                                           message):
    response = submit(reader_client, "/account/delete", "/account/delete",
                      {"password": password})

    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert reader_client.get("/api/v1/me").status_code == 200
    assert can_sign_in(app, reader.email, PASSWORD)


def test_deleting_the_account_signs_out_and_erases_it(app, reader_client, reader, author):
    post = make_post(author, "Harbour works")
    make_comment(post, reader, "The cranes are back.", status="approved")
    email = reader.email

    response = submit(reader_client, "/account/delete", "/account/delete",
                      {"password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Your account is deleted." in reader_client.get("/").get_data(as_text=True)
    assert reader_client.get("/api/v1/me").status_code == 401
    assert not can_sign_in(app, email, PASSWORD)
    assert "The cranes are back." not in reader_client.get(f"/posts/{post.slug}").get_data(
        as_text=True)


def test_an_author_with_posts_is_told_why_the_account_stays(author_client, author):
    make_post(author, "Harbour works")

    response = submit(author_client, "/account/delete", "/account/delete",
                      {"password": PASSWORD})

    assert response.status_code == 409
    assert 'class="flash flash-error"' in response.get_data(as_text=True)
    assert author_client.get("/api/v1/me").status_code == 200
