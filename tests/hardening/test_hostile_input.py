"""Hostile input on every JSON body endpoint: always a 4xx problem, never a 500, nothing stored.

The endpoints come from the OpenAPI document (every operation with a request body), so a new
one fails `test_every_body_endpoint_is_in_the_table` until it has a valid body here. Each case
spoils one field of that valid body: NUL, a lone surrogate (JSON "\\ud800"), a value far too long,
a value of the wrong type; the whole body is also replaced by 10,000 nested arrays, by a body over
1 MB (413), by something that is not JSON. The caller is an admin with a bearer token, so each
request reaches validation; the database must be the same afterwards.
"""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Base, Role, User, WebhookEndpoint
from blog.services import accounts
from tests.comments.factories import make_comment
from tests.factories import PASSWORD, make_post, make_user
from tests.helpers import assert_problem

#: A valid body for every operation with a JSON body (spoiled one field at a time below).
VALID_BODIES: dict[tuple[str, str], dict] = {
    ("POST", "/api/v1/auth/register"): {"email": "new@example.com", "password": PASSWORD,
                                        "display_name": "New Reader"},
    ("POST", "/api/v1/auth/login"): {"email": "admin@example.com", "password": PASSWORD},
    ("POST", "/api/v1/auth/sso"): {"token": "not.a.token"},
    ("POST", "/api/v1/me/tokens"): {"name": "script"},
    ("POST", "/api/v1/me/password"): {"current_password": PASSWORD,
                                      "new_password": "another long password"},
    ("DELETE", "/api/v1/me"): {"password": PASSWORD},
    ("PATCH", "/api/v1/me"): {"display_name": "A New Name"},
    ("POST", "/api/v1/auth/password-reset"): {"email": "admin@example.com"},
    ("POST", "/api/v1/auth/password-reset/confirm"): {"token": "not-a-token",
                                                      "password": "another long password"},
    ("POST", "/api/v1/posts"): {"title": "A title", "summary": "A summary.",
                                "body_html": "<p>B</p>", "tags": ["Science"],
                                "status": "published", "comments_open": True},
    ("PATCH", "/api/v1/posts/{slug}"): {"title": "A title", "summary": "S", "body_html": "<p>B</p>",
                                        "tags": ["Science"], "status": "published",
                                        "comments_open": False,
                                        "canonical_url": "https://news.example.com/a"},
    ("PUT", "/api/v1/threads"): {"url": "https://news.example.com/b", "title": "B"},
    ("POST", "/api/v1/posts/{slug}/comments"): {"body": "A comment.", "parent_id": "{comment_id}"},
    ("PATCH", "/api/v1/comments/{comment_id}"): {"body": "Edited."},
    ("PUT", "/api/v1/comments/{comment_id}/vote"): {"value": 1},
    ("POST", "/api/v1/comments/{comment_id}/flags"): {"reason": "spam", "note": "Spam."},
    ("POST", "/api/v1/moderation/comments/{comment_id}"): {"action": "approve", "reason": "Ok"},
    ("POST", "/api/v1/moderation/bulk"): {"ids": ["{comment_id}"], "action": "reject",
                                          "reason": "No"},
    ("PUT", "/api/v1/moderation/users/{user_id}/ban"): {"reason": "Spam", "shadow": False,
                                                        "until": "2030-01-01T00:00:00+00:00"},
    ("PUT", "/api/v1/moderation/posts/{slug}/premoderation"): {"premoderate": True},
    ("PUT", "/api/v1/me/follows/posts/{slug}"): {"level": "all"},
    ("PATCH", "/api/v1/me/preferences"): {"email": "daily", "auto_follow": True},
    ("POST", "/api/v1/me/notifications/read"): {"ids": [1], "all": False},
    ("POST", "/api/v1/subscriptions"): {"email": "visitor@example.com", "tags": ["Science"]},
    ("POST", "/api/v1/webhooks"): {"url": "https://hooks.example.com/h",
                                   "events": ["comment.held"], "description": "Slack"},
    ("POST", "/api/v1/webhooks/{endpoint_id}/rotate-secret"): {
        "secret": "whsec_" + base64.b64encode(b"r" * 32).decode(), "grace_seconds": 3600},
}
#: Fields people choose names with: invisible and direction-changing characters are refused.
NAME_FIELDS = {("POST", "/api/v1/auth/register"): "display_name",
               ("PATCH", "/api/v1/me"): "display_name"}
TRICKY_NAMES = ["\u202eevil", "Ad\u200bmin", "\ufeffAdmin", "Al\u2066Admin", "Ad\u00admin"]
TOO_LONG = "x" * 300_000
OVER_ONE_MB = "x" * (1024 * 1024 + 1)
DEEP = "[" * 10_000 + "]" * 10_000


def body_operations(document: dict) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, operations in document["paths"].items()
            for method, operation in operations.items()
            if isinstance(operation, dict) and "requestBody" in operation}


def test_every_body_endpoint_is_in_the_table(client):
    document = client.get("/api/v1/openapi.json").get_json()

    assert body_operations(document) - set(VALID_BODIES) == set()


def spoiled_bodies(key: tuple[str, str]) -> list[tuple[str, object]]:
    """Return (label, body) pairs: the valid body with one thing wrong, or a hostile whole."""
    valid = VALID_BODIES[key]
    cases: list[tuple[str, object]] = [
        ("not an object", [valid]),
        ("null", None),
    ]
    for name, value in valid.items():
        wrong_type = {"a": 1} if isinstance(value, (str, list)) else "one"
        cases.append((f"{name}: wrong type", {**valid, name: wrong_type}))
        strings = [(name, value)] if isinstance(value, str) else []
        if isinstance(value, list) and value and isinstance(value[0], str):
            strings.append((name, value[0]))
        for field_name, text in strings:
            wrap = (lambda t: [t]) if isinstance(value, list) else (lambda t: t)
            cases += [
                (f"{field_name}: NUL", {**valid, field_name: wrap(text + "\x00")}),
                (f"{field_name}: lone surrogate", {**valid, field_name: wrap(text + "\ud800")}),
                (f"{field_name}: too long", {**valid, field_name: wrap(TOO_LONG)}),
            ]
    if key in NAME_FIELDS:
        cases += [(f"{NAME_FIELDS[key]}: {name!r}", {**valid, NAME_FIELDS[key]: name})
                  for name in TRICKY_NAMES]
    return cases


CASES = [(key, label, body) for key in VALID_BODIES for label, body in spoiled_bodies(key)]


@pytest.fixture
def world(app):
    admin = make_user(Role.ADMIN, email="admin@example.com", display_name="Al Admin")
    reader = make_user(Role.READER, display_name="Rita Reader")
    post = make_post(admin, "The post", tags=["Science"])
    comment = make_comment(post, reader, "A comment.", status="approved")
    endpoint = WebhookEndpoint(url="https://hooks.example.com/h", events=["comment.held"],
                               secret="whsec_" + base64.b64encode(b"s" * 32).decode())
    db.session.add(endpoint)
    token = accounts.create_api_token(admin, "hostile")
    db.session.commit()
    values = {"slug": post.slug, "comment_id": comment.id, "user_id": reader.id,
              "endpoint_id": endpoint.id}
    return {"Authorization": f"Bearer {token}"}, values


def fill(value, values: dict):
    if isinstance(value, str) and value.startswith("{") and value.strip("{}") in values:
        return values[value.strip("{}")]
    if isinstance(value, list):
        return [fill(item, values) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, values) for key, item in value.items()}
    return value


def database_fingerprint() -> str:
    """Hash every row of every table: equal fingerprints mean nothing was written."""
    digest = hashlib.sha256()
    db.session.expire_all()
    for table in Base.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        digest.update(repr((table.name, [tuple(row) for row in rows])).encode())
    db.session.rollback()
    return digest.hexdigest()


def send(client, key, headers, values, data: str):
    method, path = key
    return client.open(path.format(**values), method=method, data=data,
                       content_type="application/json", headers=headers)


@pytest.mark.parametrize(("key", "label", "body"), CASES,
                         ids=[f"{m} {p} {label}" for (m, p), label, _ in CASES])
def test_a_spoiled_body_is_refused_and_changes_nothing(client, world, key, label, body):
    if key == ("DELETE", "/api/v1/me") and not route_exists(client.application, key):
        pytest.skip("DELETE /api/v1/me lands with branch harden-load")
    headers, values = world
    before = database_fingerprint()

    response = send(client, key, headers, values, json.dumps(fill(body, values)))

    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:300]
    assert_problem(response, response.status_code)
    assert database_fingerprint() == before


@pytest.mark.parametrize(("whole", "status"), [
    (DEEP, 400),
    ('{"a": ' * 10_000 + "1" + "}" * 10_000, 400),
    ('{"body": "not closed', 400),
    (json.dumps({"body": OVER_ONE_MB}), 413),
], ids=["10,000 nested arrays", "10,000 nested objects", "broken JSON", "over 1 MB"])
@pytest.mark.parametrize("key", list(VALID_BODIES), ids=[f"{m} {p}" for m, p in VALID_BODIES])
def test_a_hostile_whole_body_is_refused(client, world, key, whole, status):
    if key == ("DELETE", "/api/v1/me") and not route_exists(client.application, key):
        pytest.skip("DELETE /api/v1/me lands with branch harden-load")
    headers, values = world
    before = database_fingerprint()

    response = send(client, key, headers, values, whole)

    assert_problem(response, status)
    assert database_fingerprint() == before


def test_a_tricky_display_name_is_not_stored(client):
    for name in TRICKY_NAMES:
        response = client.post("/api/v1/auth/register", json={
            "email": f"{len(name)}{ord(name[2])}@example.com", "password": PASSWORD,
            "display_name": name})
        assert_problem(response, 422, errors_for="display_name")

    assert db.session.scalars(select(User)).all() == []


def route_exists(app, key: tuple[str, str]) -> bool:
    method, path = key
    return any(rule.rule == path and method in rule.methods for rule in app.url_map.iter_rules())


def test_a_multi_line_comment_from_the_article_form_is_accepted(app, world):
    # Browsers send a textarea's line breaks as CRLF; they were refused as control characters.
    headers, values = world
    response = app.test_client().post(f"/api/v1/posts/{values['slug']}/comments",
                                      json={"body": "First line.\r\nSecond line."},
                                      headers=headers)

    assert response.status_code == 201
    assert response.get_json()["body"] == "First line.\nSecond line."
