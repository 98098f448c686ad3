"""Attacks refused: CSRF, CORS, framing and sniffing, session theft and fixation, sign-in."""

from __future__ import annotations

import re

import pytest

from blog import create_app
from blog.services import accounts
from config import ProductionConfig, TestingConfig
from tests.factories import PASSWORD, ApiClient, make_post
from tests.helpers import assert_problem

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
FRONTEND = "https://front.example"


def concrete(rule: str) -> str:
    """Turn a rule into a path: ints become 1, other variables `x`."""
    path = re.sub(r"<int:[^>]+>", "1", rule)
    path = re.sub(r"<path:[^>]+>", "style.css", path)
    return re.sub(r"<[^>]+>", "x", path)


def unsafe_routes(app) -> list[tuple[str, str]]:
    """Every unsafe (method, path) of the app, but the views exempt by design."""
    routes = []
    for rule in app.url_map.iter_rules():
        if getattr(app.view_functions[rule.endpoint], "csrf_exempt", False):
            continue
        routes += [(method, concrete(rule.rule)) for method in sorted(rule.methods & UNSAFE)]
    return routes


def test_every_unsafe_route_is_checked_below(app):
    # The pages have 10 forms, the API 25 unsafe operations.
    assert len(unsafe_routes(app)) >= 35


@pytest.mark.parametrize("token", ["missing", "another session's"])
def test_a_cookie_request_without_this_sessions_token_is_refused_everywhere(
        app, admin_client, reader_client, token):
    csrf = False if token == "missing" else reader_client.csrf_token()
    accepted = []
    for method, path in unsafe_routes(app):
        response = admin_client.open(path, method=method, json={}, csrf=csrf)
        if response.status_code != 403:
            accepted.append((method, path, response.status_code))
        elif path.startswith("/api/"):
            assert response.mimetype == "application/problem+json"
        else:
            assert response.mimetype == "text/html"

    assert accepted == []
    assert admin_client.get("/api/v1/me").status_code == 200  # nothing signed the admin out


def test_the_one_click_unsubscribe_is_the_only_exempt_form(app):
    exempt = [rule.rule for rule in app.url_map.iter_rules()
              if getattr(app.view_functions[rule.endpoint], "csrf_exempt", False)]

    # One-click unsubscribe (RFC 8058) and the visitors' subscribe form, which only mails a
    # confirmation link (blog/subscriptions/views.py says why it carries no token).
    assert sorted(exempt) == ["/subscribe", "/subscriptions/unsubscribe"]


# --- CORS -------------------------------------------------------------------------------------

@pytest.fixture
def cors_client(database_url, tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        FRONTEND_ORIGINS = [FRONTEND]

    app = create_app(Config)
    app.test_client_class = ApiClient
    with app.app_context():
        yield app.test_client()


@pytest.mark.parametrize("path", ["/api/v1/posts", "/api/v1/me", "/api/v1/auth/csrf"])
def test_the_front_end_origin_may_read_with_credentials(cors_client, path):
    response = cors_client.get(path, headers={"Origin": FRONTEND})

    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in response.headers.get("Vary", "")


@pytest.mark.parametrize("origin", ["https://evil.example", "https://front.example.evil.test",
                                    "http://front.example", "null"])
def test_other_origins_get_no_cors_headers(cors_client, origin):
    simple = cors_client.get("/api/v1/posts", headers={"Origin": origin})
    preflight = cors_client.options("/api/v1/posts/x/comments", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type, X-CSRF-Token"})

    for response in (simple, preflight):
        assert "Access-Control-Allow-Origin" not in response.headers
        assert "Access-Control-Allow-Credentials" not in response.headers


def test_the_front_end_preflight_allows_the_csrf_header(cors_client):
    response = cors_client.options("/api/v1/posts/x/comments", headers={
        "Origin": FRONTEND, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type, X-CSRF-Token"})

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "x-csrf-token" in response.headers["Access-Control-Allow-Headers"].lower()


def test_pages_outside_the_api_get_no_cors_headers(cors_client):
    response = cors_client.get("/healthz", headers={"Origin": FRONTEND})

    assert "Access-Control-Allow-Origin" not in response.headers


def test_without_front_end_origins_nobody_gets_cors_headers(client):
    response = client.get("/api/v1/posts", headers={"Origin": FRONTEND})

    assert "Access-Control-Allow-Origin" not in response.headers


# --- Security headers -------------------------------------------------------------------------

def get_paths(app, post) -> list[str]:
    paths = [concrete(rule.rule).replace("/x", f"/{post.slug}")
             for rule in app.url_map.iter_rules() if "GET" in rule.methods]
    return [*paths, "/no/such/page", "/api/v1/no/such/thing"]


def test_every_answer_carries_the_security_headers(app, client, admin_client, author):
    post = make_post(author, "Headers")
    problems = []
    for caller in (client, admin_client):
        for path in get_paths(app, post):
            response = caller.get(path)
            headers = response.headers
            csp = headers.get("Content-Security-Policy", "")
            checks = {
                "nosniff": headers.get("X-Content-Type-Options") == "nosniff",
                "referrer": headers.get("Referrer-Policy") in {"strict-origin-when-cross-origin",
                                                               "no-referrer", "same-origin"},
                "frame-ancestors": "frame-ancestors 'none'" in csp,
            }
            if response.mimetype == "text/html":
                script = re.search(r"script-src ([^;]*)", csp) or re.search(r"default-src ([^;]*)",
                                                                            csp)
                checks["script-src without unsafe-inline"] = (
                    script is not None and "'unsafe-inline'" not in script.group(1)
                    and "'unsafe-eval'" not in script.group(1))
            problems += [(path, response.status_code, name) for name, ok in checks.items()
                         if not ok]

    assert problems == []


# --- Session cookie ---------------------------------------------------------------------------

def session_cookie_header(response) -> str:
    cookies = [value for value in response.headers.getlist("Set-Cookie")
               if value.startswith("session=")]
    assert cookies, "no session cookie"
    return cookies[-1]


def test_the_session_cookie_is_httponly_and_samesite_lax(client, reader):
    header = session_cookie_header(client.sign_in(reader.email))

    assert "HttpOnly" in header
    assert "SameSite=Lax" in header


def test_the_session_cookie_is_secure_in_production(database_url, reader):
    class Config(ProductionConfig):
        SECRET_KEY = "production-test-key"
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_STORAGE_URI = "memory://"
        PASSWORD_HASH_PROFILE = "cheapest"

    app = create_app(Config)
    app.test_client_class = ApiClient
    with app.app_context():
        response = app.test_client().post("/api/v1/auth/login",
                                          json={"email": reader.email, "password": PASSWORD})
    header = session_cookie_header(response)

    assert response.status_code == 200
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


# --- Sign-in ----------------------------------------------------------------------------------

def test_unknown_email_and_wrong_password_get_the_same_answer_for_the_same_work(
        client, reader, monkeypatch):
    verified = []

    class CountingHasher:
        def __init__(self, real):
            self.real = real

        def verify(self, *args):
            verified.append(1)
            return self.real.verify(*args)

        def __getattr__(self, name):
            return getattr(self.real, name)

    real = accounts._HASHERS["cheapest"]
    monkeypatch.setitem(accounts._HASHERS, "cheapest", CountingHasher(real))

    wrong = client.post("/api/v1/auth/login", json={"email": reader.email, "password": "n" * 12})
    after_wrong = len(verified)
    unknown = client.post("/api/v1/auth/login", json={"email": "no@example.com",
                                                       "password": PASSWORD})

    assert after_wrong == 1 and len(verified) == 2  # one password hash checked each time
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert wrong.headers.get("Set-Cookie") == unknown.headers.get("Set-Cookie")


def test_a_session_from_before_sign_in_is_worthless_after_it(app, client, reader):
    old_token = client.csrf_token()  # the visitor's session, as a planted cookie would be
    planted = client.get_cookie("session").value

    client.sign_in(reader.email)

    assert client.get_cookie("session").value != planted
    app.test_client_class = ApiClient
    attacker = app.test_client()
    attacker.set_cookie("session", planted)
    assert_problem(attacker.get("/api/v1/me"), 401)
    # the token of the planted session does not work on the signed-in one either
    assert_problem(client.post("/api/v1/me/tokens", json={"name": "x"}, csrf=old_token), 403)


def test_changing_the_password_signs_out_every_other_session(app, reader, reader_client):
    app.test_client_class = ApiClient
    laptop = app.test_client()
    laptop.sign_in(reader.email)
    stolen = laptop.get_cookie("session").value

    response = reader_client.post("/api/v1/me/password", json={
        "current_password": PASSWORD, "new_password": "a brand new passphrase"})

    assert response.status_code == 204
    assert reader_client.get("/api/v1/me").status_code == 200
    assert_problem(laptop.get("/api/v1/me"), 401)
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert_problem(replay.get("/api/v1/me"), 401)
    fresh = app.test_client()
    assert fresh.post("/api/v1/auth/login", json={"email": reader.email,
                                                  "password": PASSWORD}).status_code == 401
    fresh.sign_in(reader.email, "a brand new passphrase")


@pytest.mark.parametrize(("body", "field"), [
    ({"current_password": "not my password", "new_password": "a brand new passphrase"},
     "current_password"),
    ({"current_password": PASSWORD, "new_password": "short"}, "new_password"),
    ({"current_password": PASSWORD}, "new_password"),
])
def test_a_refused_password_change_changes_nothing(reader, reader_client, body, field):
    response = reader_client.post("/api/v1/me/password", json=body)

    assert_problem(response, 422, errors_for=field)
    assert reader_client.get("/api/v1/me").status_code == 200
    assert accounts.authenticate(reader.email, PASSWORD) is not None


def test_the_password_change_needs_the_csrf_token_with_a_cookie(reader_client):
    response = reader_client.post("/api/v1/me/password", csrf=False, json={
        "current_password": PASSWORD, "new_password": "a brand new passphrase"})

    assert_problem(response, 403)
