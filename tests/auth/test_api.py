"""The auth API: register, login, logout, csrf, me, bearer tokens and session invalidation."""

from __future__ import annotations

import pytest

from blog.extensions import db
from blog.models import User
from blog.services import accounts
from tests.factories import PASSWORD, ApiClient, make_user
from tests.helpers import assert_problem

NEW_ACCOUNT = {"email": "Nora@Example.com", "password": "a long enough password",
               "display_name": "Nora News"}


def test_register_creates_a_reader_and_signs_in(client):
    response = client.post("/api/v1/auth/register", json=NEW_ACCOUNT)

    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "display_name", "role"}
    assert body["display_name"] == "Nora News"
    assert body["role"] == "reader"
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.get_json()["email"] == "nora@example.com"


def test_register_refuses_an_email_taken_in_another_letter_case(client):
    make_user(email="nora@example.com")

    response = client.post("/api/v1/auth/register",
                           json={**NEW_ACCOUNT, "email": "NORA@EXAMPLE.COM"})

    assert_problem(response, 409)


@pytest.mark.parametrize(("field", "value"), [
    ("password", "too short"),
    ("email", "not-an-email"),
    ("email", "nora@"),
    ("display_name", "Nora\u202eswen"),
    ("display_name", "No\u200bra"),
    ("display_name", "Nora\u0000"),
    ("display_name", "   "),
])
def test_register_refuses_invalid_input(client, field, value):
    response = client.post("/api/v1/auth/register", json={**NEW_ACCOUNT, field: value})

    assert_problem(response, 422, errors_for=field)
    assert client.get("/api/v1/me").status_code == 401


def test_login_answers_the_user_and_signs_in(client, reader):
    response = client.post("/api/v1/auth/login",
                           json={"email": reader.email.upper(), "password": PASSWORD})

    assert response.status_code == 200
    assert response.get_json() == {"id": reader.id, "display_name": "Rita Reader",
                                   "role": "reader"}
    assert client.get("/api/v1/me").get_json()["id"] == reader.id


def test_login_failures_do_not_tell_which_part_was_wrong(client, reader):
    wrong_password = client.post("/api/v1/auth/login",
                                 json={"email": reader.email, "password": "not the password"})
    unknown_email = client.post("/api/v1/auth/login",
                                json={"email": "nobody@example.com", "password": PASSWORD})

    first = assert_problem(wrong_password, 401)
    second = assert_problem(unknown_email, 401)
    assert first["detail"] == second["detail"]
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("email", ["nul\u0000@example.com", "x" * 300])
def test_login_with_an_impossible_email_is_refused_not_a_crash(client, email):
    response = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})

    assert response.status_code in (401, 422)
    assert response.mimetype == "application/problem+json"


def test_logout_ends_the_session(reader_client):
    response = reader_client.post("/api/v1/auth/logout")

    assert response.status_code == 204
    assert_problem(reader_client.get("/api/v1/me"), 401)


def test_logout_needs_a_session(client):
    assert_problem(client.post("/api/v1/auth/logout"), 401)


def test_csrf_endpoint_gives_a_token(client):
    response = client.get("/api/v1/auth/csrf")

    assert response.status_code == 200
    assert isinstance(response.get_json()["csrf_token"], str)
    assert response.get_json()["csrf_token"]


def test_me_shows_the_account_with_its_email(reader_client, reader):
    body = reader_client.get("/api/v1/me").get_json()

    assert {"id", "display_name", "role", "email"} <= set(body)
    assert (body["id"], body["display_name"], body["role"], body["email"]) == (
        reader.id, "Rita Reader", "reader", reader.email)
    assert not {"password", "password_hash", "session_version"} & set(body)


def test_me_needs_a_session(client):
    assert_problem(client.get("/api/v1/me"), 401)


def new_client(app) -> ApiClient:
    app.test_client_class = ApiClient
    return app.test_client()


def make_token(signed_in_client) -> str:
    response = signed_in_client.post("/api/v1/me/tokens", json={"name": "deploy script"})
    assert response.status_code == 201
    return response.get_json()["token"]


def test_a_bearer_token_works_without_csrf_or_cookie(app, author_client, author):
    token = make_token(author_client)
    script = new_client(app)
    headers = {"Authorization": f"Bearer {token}"}

    me = script.get("/api/v1/me", headers=headers)
    created = script.post("/api/v1/posts", json={"title": "From a script"}, headers=headers)

    assert me.status_code == 200
    assert me.get_json()["id"] == author.id
    assert created.status_code == 201, created.get_json()
    assert "Set-Cookie" not in me.headers
    assert "Set-Cookie" not in created.headers


def test_a_bearer_token_beats_the_cookie_and_needs_no_csrf(author_client):
    token = make_token(author_client)

    response = author_client.post("/api/v1/posts", json={"title": "Bearer and cookie"},
                                  headers={"Authorization": f"Bearer {token}"}, csrf=False)

    assert response.status_code == 201


def test_tokens_are_stored_hashed(author_client, author):
    token = make_token(author_client)

    db.session.expire_all()
    stored = [t.token_hash for t in db.session.get(User, author.id).tokens]
    assert len(stored) == 1
    assert token not in stored[0]


@pytest.mark.parametrize("header", [
    "Bearer blog_not-a-real-token",
    "Bearer something-else",
])
def test_a_bad_bearer_token_is_refused(reader_client, header):
    # Even with a valid session cookie, a request that names a bad token is not signed in.
    response = reader_client.get("/api/v1/me", headers={"Authorization": header})

    assert_problem(response, 401)


def test_token_creation_needs_a_session(client):
    assert_problem(client.post("/api/v1/me/tokens", json={"name": "x"}), 401)


def test_changing_the_password_signs_out_old_sessions(app, reader):
    old = new_client(app)
    old.sign_in(reader.email)
    assert old.get("/api/v1/me").status_code == 200

    accounts.change_password(db.session.get(User, reader.id), "a brand new password")
    db.session.commit()

    assert_problem(old.get("/api/v1/me"), 401)
    fresh = new_client(app)
    fresh.sign_in(reader.email, "a brand new password")
    assert fresh.get("/api/v1/me").status_code == 200


def test_login_starts_a_fresh_session_id(app, reader):
    client = new_client(app)
    before = client.csrf_token()

    client.sign_in(reader.email)

    assert client.csrf_token() != before
