"""The sign-in, sign-up and sign-out pages."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD


def form_post(client, path: str, data: dict):
    """Post a form as a browser does: with the page's CSRF token when it holds a session."""
    client.get(path)
    return client.post(path, data={**data, "csrf_token": client.csrf_token()}, csrf=False)


def test_the_login_page_has_the_form(client):
    response = client.get("/login?next=/posts/some-story")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="email"' in page and 'name="password"' in page
    assert 'name="csrf_token"' in page
    assert 'name="next" value="/posts/some-story"' in page


def test_a_wrong_password_shows_a_message(client, reader):
    response = form_post(client, "/login", {"email": reader.email, "password": "wrong one!!"})

    assert response.status_code == 401
    assert "The email or password is not right." in response.get_data(as_text=True)
    assert client.get("/api/v1/me").status_code == 401


def test_a_login_with_a_nul_in_the_email_is_refused_not_a_crash(client):
    response = form_post(client, "/login", {"email": "a\u0000@example.com", "password": "x"})

    assert response.status_code == 401


def test_signing_in_redirects_to_the_front_page(client, reader):
    response = form_post(client, "/login", {"email": reader.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/api/v1/me").get_json()["id"] == reader.id


@pytest.mark.parametrize(("next_", "location"), [
    ("/posts/x", "/posts/x"),
    ("/tags/science?cursor=abc", "/tags/science?cursor=abc"),
    ("//evil.com", "/"),
    ("https://evil.com", "/"),
    ("http://evil.com/posts/x", "/"),
    ("/\\evil.com", "/"),
    ("\\\\evil.com", "/"),
    ("/\t/evil.com", "/"),
    ("javascript:alert(1)", "/"),
    ("evil.com", "/"),
    ("", "/"),
])
def test_next_never_leaves_the_site(client, reader, next_, location):
    response = form_post(client, "/login",
                         {"email": reader.email, "password": PASSWORD, "next": next_})

    assert response.status_code == 302
    assert response.headers["Location"] == location


def test_the_register_page_has_the_form(client):
    page = client.get("/register").get_data(as_text=True)

    for name in ("display_name", "email", "password", "csrf_token"):
        assert f'name="{name}"' in page


def test_registering_signs_in(client):
    response = form_post(client, "/register", {"email": "new@example.com",
                                                "password": "a long password",
                                                "display_name": "New Person"})

    assert response.status_code == 302
    assert client.get("/api/v1/me").get_json()["display_name"] == "New Person"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("password", "short", "Choose a password of at least 10 characters (and at most 1,024)."),
    ("email", "not-an-email", "Not a valid email address."),
    ("display_name", "Evil\u202eName", "Contains invisible or direction-changing characters."),
])
def test_registering_shows_what_is_wrong(client, field, value, message):
    data = {"email": "new@example.com", "password": "a long password",
            "display_name": "New Person", field: value}

    response = form_post(client, "/register", data)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert "a long password" not in page
    assert client.get("/api/v1/me").status_code == 401


def test_registering_a_taken_email_says_so(client, reader):
    response = form_post(client, "/register", {"email": reader.email.upper(),
                                                "password": "a long password",
                                                "display_name": "Copy"})

    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_logout_get_shows_a_button_and_signs_nobody_out(reader_client):
    response = reader_client.get("/logout")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<form method="post" action="/logout"' in page
    assert reader_client.get("/api/v1/me").status_code == 200


def test_logout_post_signs_out(reader_client):
    response = form_post(reader_client, "/logout", {})

    assert response.status_code == 302
    assert reader_client.get("/api/v1/me").status_code == 401

