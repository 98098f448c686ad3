"""Password reset by email: the link arrives at a real SMTP server, works once, expires."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import update

from blog import create_app
from blog.extensions import db
from blog.models import EmailMessage, utcnow
from config import TestingConfig
from tests.auth.forms import submit
from tests.factories import PASSWORD, ApiClient
from tests.helpers import assert_problem
from tests.notifications.helpers import Mailbox, run_worker

NEW_PASSWORD = "a brand new password"
SENT = "If an account uses that address, we have sent a link."
LINK = re.compile(r"http://blog\.test(/password-reset/[A-Za-z0-9_.\-]+)")


def fresh_client(app) -> ApiClient:
    app.test_client_class = ApiClient
    return app.test_client()


def ask_for_link(client, email: str):
    return submit(client, "/password-reset", "/password-reset", {"email": email})


def parts(message) -> dict[str, str]:
    return {part.get_content_type(): part.get_payload(decode=True).decode()
            for part in message.walk() if not part.is_multipart()}


def emailed_path(mailbox: Mailbox) -> str:
    """Return the path of the reset link in the last email, checking both of its parts."""
    found = parts(mailbox.messages[-1])
    [text_link] = LINK.findall(found["text/plain"])
    assert text_link in found["text/html"]
    return text_link


def can_sign_in(app, email: str, password: str) -> bool:
    response = fresh_client(app).post("/api/v1/auth/login",
                                      json={"email": email, "password": password})
    return response.status_code == 200


def set_password_from_link(client, path: str, password: str = NEW_PASSWORD):
    return submit(client, path, path, {"password": password})


# --- Asking ----------------------------------------------------------------------------------

def test_the_sign_in_page_links_to_the_reset_page(client):
    page = client.get("/login").get_data(as_text=True)

    assert '<a href="/password-reset">Forgot your password?</a>' in page
    assert 'maxlength="254"' in client.get("/password-reset").get_data(as_text=True)


def test_the_email_arrives_with_a_link_in_text_and_html(app, client, smtp, mailbox, reader):
    response = ask_for_link(client, reader.email.upper())
    assert mailbox.messages == []  # the request sends nothing itself: the worker does

    assert run_worker().sent == 1

    assert response.status_code == 200
    assert SENT in response.get_data(as_text=True)
    [message] = mailbox.messages
    assert message["To"] == reader.email
    assert message["Subject"] == "Set a new password for The Daily Ledger"
    assert "for 60 minutes" in parts(message)["text/plain"]
    assert client.get(emailed_path(mailbox)).status_code == 200


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, smtp, mailbox, reader):
    known = ask_for_link(client, reader.email)
    unknown = ask_for_link(client, "nobody@example.com")
    api_known = client.post("/api/v1/auth/password-reset", json={"email": reader.email})
    api_unknown = client.post("/api/v1/auth/password-reset", json={"email": "no@example.com"})
    run_worker()

    def visible(response):
        return re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))

    assert (known.status_code, visible(known)) == (unknown.status_code, visible(unknown))
    assert api_known.status_code == api_unknown.status_code == 202
    assert api_known.get_json() == api_unknown.get_json() == {"status": "accepted",
                                                               "detail": SENT}
    assert [m["To"] for m in mailbox.messages] == [reader.email, reader.email]


@pytest.mark.parametrize(("email", "message"), [
    ("", "Enter your email address."),
    ("not an address", "Not a valid email address."),
])
def test_a_bad_address_is_refused_with_a_sentence(client, email, message):
    response = ask_for_link(client, email)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


# --- The link --------------------------------------------------------------------------------

def test_the_link_sets_a_new_password_and_signs_in(app, client, smtp, mailbox, reader):
    ask_for_link(client, reader.email)
    run_worker()
    path = emailed_path(mailbox)
    elsewhere = fresh_client(app)
    elsewhere.sign_in(reader.email)

    response = set_password_from_link(client, path)

    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert "Your password is changed, and you are signed in." in client.get(
        "/account").get_data(as_text=True)
    assert client.get("/api/v1/me").get_json()["id"] == reader.id
    assert elsewhere.get("/api/v1/me").status_code == 401
    assert can_sign_in(app, reader.email, NEW_PASSWORD)
    assert not can_sign_in(app, reader.email, PASSWORD)


def test_the_link_works_once(app, client, smtp, mailbox, reader):
    ask_for_link(client, reader.email)
    run_worker()
    path = emailed_path(mailbox)
    set_password_from_link(client, path)

    again = fresh_client(app)
    page = again.get(path)
    second = again.post(path, data={"password": "yet another password"})

    assert page.status_code == 400
    assert "was used already" in page.get_data(as_text=True)
    assert second.status_code == 400
    assert can_sign_in(app, reader.email, NEW_PASSWORD)


def test_an_expired_link_is_refused(app, client, smtp, mailbox, reader, monkeypatch):
    ask_for_link(client, reader.email)
    minted_an_hour_ago = int(time.time()) - app.config["PASSWORD_RESET_MAX_AGE"] - 1
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: minted_an_hour_ago)
        run_worker()
    path = emailed_path(mailbox)

    page = client.get(path)
    posted = client.post(path, data={"password": NEW_PASSWORD})

    assert page.status_code == 400
    assert "This link has expired. Ask for a new one." in page.get_data(as_text=True)
    assert posted.status_code == 400
    assert can_sign_in(app, reader.email, PASSWORD)


def test_the_link_is_dead_once_the_password_changed(app, client, smtp, mailbox, reader,
                                                    reader_client):
    ask_for_link(client, reader.email)
    run_worker()
    path = emailed_path(mailbox)

    changed = submit(reader_client, "/account", "/account/password", {
        "current_password": PASSWORD, "new_password": "changed on the account page"})
    page = fresh_client(app).get(path)
    response = fresh_client(app).post(path, data={"password": NEW_PASSWORD})

    assert changed.status_code == 302
    assert page.status_code == 400
    assert response.status_code == 400
    assert can_sign_in(app, reader.email, "changed on the account page")


def test_a_second_link_kills_nothing_but_the_first_use_kills_both(app, client, smtp, mailbox,
                                                                   reader):
    ask_for_link(client, reader.email)
    ask_for_link(client, reader.email)
    run_worker()
    first, second = (LINK.findall(parts(m)["text/plain"])[0] for m in mailbox.messages)

    assert set_password_from_link(client, second).status_code == 302
    assert fresh_client(app).get(first).status_code == 400


def test_a_short_new_password_is_refused_and_the_link_still_works(app, client, smtp, mailbox,
                                                                   reader):
    ask_for_link(client, reader.email)
    run_worker()
    path = emailed_path(mailbox)

    short = set_password_from_link(client, path, "short")

    assert short.status_code == 422
    assert ("Choose a password of at least 10 characters (and at most 1,024)."
            in short.get_data(as_text=True))
    assert set_password_from_link(client, path).status_code == 302


def test_a_request_older_than_a_link_lives_is_not_sent(app, client, smtp, mailbox, reader):
    ask_for_link(client, reader.email)
    db.session.execute(update(EmailMessage).values(created_at=utcnow() - timedelta(hours=2)))
    db.session.commit()

    stats = run_worker()

    assert (stats.sent, stats.skipped) == (0, 1)
    assert mailbox.messages == []


def test_a_tampered_link_is_refused(client):
    response = client.get("/password-reset/eyJ1IjoxLCJwIjoiYWJjIn0.ZZZZ.forged")

    assert response.status_code == 400
    assert "This link is not valid" in response.get_data(as_text=True)


# --- The API ---------------------------------------------------------------------------------

def test_the_api_resets_with_the_emailed_token(app, client, smtp, mailbox, reader):
    assert client.post("/api/v1/auth/password-reset",
                       json={"email": reader.email}).status_code == 202
    run_worker()
    token = emailed_path(mailbox).rsplit("/", 1)[1]

    done = client.post("/api/v1/auth/password-reset/confirm",
                       json={"token": token, "password": NEW_PASSWORD})
    again = client.post("/api/v1/auth/password-reset/confirm",
                        json={"token": token, "password": "yet another password"})

    assert done.status_code == 204
    body = assert_problem(again, 422, errors_for="token")
    assert body["errors"]["token"] == [
        "This link is not valid, or was used already. Ask for a new one."]
    assert can_sign_in(app, reader.email, NEW_PASSWORD)


def test_the_api_refuses_a_bad_token_as_a_problem(client):
    response = client.post("/api/v1/auth/password-reset/confirm",
                           json={"token": "not-a-token", "password": NEW_PASSWORD})

    assert_problem(response, 422, errors_for="token")


def test_the_reset_endpoints_are_documented(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    assert set(paths["/api/v1/auth/password-reset"]["post"]["responses"]) >= {"202", "422",
                                                                              "429"}
    assert set(paths["/api/v1/auth/password-reset/confirm"]["post"]["responses"]) >= {
        "204", "422", "429"}


# --- Rate limits -----------------------------------------------------------------------------

@pytest.fixture
def throttled_app(database_url, tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        INSTANCE_PATH = str(tmp_path)
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"
        RATELIMIT_PASSWORD_RESET = "3 per minute"
        RATELIMIT_PASSWORD_RESET_ADDRESS = "2 per hour"

    app = create_app(Config)
    app.test_client_class = ApiClient
    with app.app_context():
        yield app


def ask_from(app, email: str, address: str, form: bool) -> int:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if form:
        return client.post("/password-reset", data={"email": email}).status_code
    return client.post("/api/v1/auth/password-reset", json={"email": email}).status_code


@pytest.mark.parametrize("form", [False, True], ids=["api", "form"])
def test_one_address_is_limited_from_any_client_known_or_not(throttled_app, form):
    ok = 200 if form else 202
    for number, email in enumerate(("Someone@Example.com", "unknown@example.com")):
        answers = [ask_from(throttled_app, email, f"10.0.{number}.{n}", form)
                   for n in range(3)]
        assert answers == [ok, ok, 429]


def test_one_client_is_limited_across_addresses(throttled_app):
    answers = [ask_from(throttled_app, f"user{n}@example.com", "10.1.0.1", False)
               for n in range(4)]

    assert answers == [202, 202, 202, 429]
    assert ask_from(throttled_app, "user9@example.com", "10.1.0.2", False) == 202
