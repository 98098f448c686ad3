"""POST /api/v1/auth/sso: the site's signed token signs its reader in; nothing else does."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from blog.models import ApiToken, Role, User
from tests.factories import make_user
from tests.helpers import assert_problem

SECRET = "a-secret-the-news-site-shares-with-us-0123456789"


def claims(**changes) -> dict:
    now = int(time.time())
    base = {"sub": "reader-42", "name": "Nora News", "iat": now, "exp": now + 300,
            "email": "nora@news.example.com"}
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def hs256(**changes) -> str:
    return jwt.encode(claims(**changes), SECRET, algorithm="HS256")


@pytest.fixture
def sso_app(app):
    app.config.update(SSO_SECRET=SECRET)
    return app


def sign_in(client, token: str):
    return client.post("/api/v1/auth/sso", json={"token": token})


def test_a_signed_token_signs_the_reader_in_with_a_bearer_token_and_a_session(sso_app, client):
    response = sign_in(client, hs256(avatar="https://news.example.com/nora.png"))

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["user"]["display_name"] == "Nora News" and body["user"]["role"] == "reader"
    assert body["user"]["avatar_url"] == "https://news.example.com/nora.png"
    by_bearer = client.application.test_client().get(
        "/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert by_bearer.get_json()["email"] == "nora@news.example.com"
    assert client.get("/api/v1/me").status_code == 200  # the session cookie


def test_the_same_reader_is_the_same_account_and_a_new_name_is_taken(sso_app, client, db):
    first = sign_in(client, hs256()).get_json()["user"]
    second = sign_in(client, hs256(name="Nora Newsome")).get_json()["user"]

    assert first["id"] == second["id"]
    assert second["display_name"] == "Nora Newsome"
    assert db.session.query(User).count() == 1


def test_roles_are_never_taken_from_the_token(sso_app, client, db):
    body = sign_in(client, hs256(role="admin", roles=["admin"])).get_json()
    assert body["user"]["role"] == Role.READER


def test_an_email_of_an_existing_account_is_not_taken_over(sso_app, client, db):
    owner = make_user(email="nora@news.example.com")
    body = sign_in(client, hs256()).get_json()
    assert body["user"]["id"] != owner.id
    assert db.session.get(User, body["user"]["id"]).email is None


def test_an_sso_reader_cannot_sign_in_with_a_password(sso_app, client):
    sign_in(client, hs256())
    response = client.application.test_client().post(
        "/api/v1/auth/login", json={"email": "nora@news.example.com", "password": ""})
    assert response.status_code in (401, 422)


def unsigned_token() -> str:
    return jwt.encode(claims(), key=None, algorithm="none")


@pytest.mark.parametrize(("case", "make_token"), [
    ("alg none", unsigned_token),
    ("wrong key", lambda: jwt.encode(claims(), "another-secret-of-thirty-two-bytes!!",
                                     algorithm="HS256")),
    ("expired", lambda: hs256(iat=int(time.time()) - 400, exp=int(time.time()) - 100)),
    ("issued in the future", lambda: hs256(iat=int(time.time()) + 3600,
                                           exp=int(time.time()) + 7200)),
    ("older than SSO_MAX_AGE_SECONDS", lambda: hs256(iat=int(time.time()) - 3600,
                                                     exp=int(time.time()) + 3600)),
    ("no sub", lambda: hs256(sub=None)),
    ("no name", lambda: hs256(name=None)),
    ("no exp", lambda: hs256(exp=None)),
    ("no iat", lambda: hs256(iat=None)),
    ("an empty name", lambda: hs256(name="   ")),
    ("not a JWT", lambda: "not.a.jwt"),
    ("tampered", lambda: hs256()[:-3] + "abc"),
])
def test_a_token_not_to_be_trusted_is_a_401_and_makes_nothing(sso_app, client, db, case,
                                                             make_token):
    response = sign_in(client, make_token())

    assert_problem(response, 401)
    assert db.session.query(User).count() == 0, case
    assert db.session.query(ApiToken).count() == 0
    assert client.get("/api/v1/me").status_code == 401


def test_issuer_and_audience_are_checked_when_set(sso_app, client, db):
    sso_app.config.update(SSO_ISSUER="https://news.example.com", SSO_AUDIENCE="comments")
    good = hs256(iss="https://news.example.com", aud="comments")

    assert_problem(sign_in(client, hs256(iss="https://evil.test", aud="comments")), 401)
    assert_problem(sign_in(client, hs256(iss="https://news.example.com", aud="other")), 401)
    assert_problem(sign_in(client, hs256()), 401)  # neither claim
    assert sign_in(client, good).status_code == 200
    assert db.session.query(User).count() == 1


def test_without_a_key_sso_is_refused(app, client, db):
    assert "not set up" in assert_problem(sign_in(client, hs256()), 401)["detail"]


def pem_pair(private_key) -> tuple[bytes, str]:
    private = private_key.private_bytes(serialization.Encoding.PEM,
                                        serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
    public = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def hmac_keyed_with(public_pem: str) -> str:
    """The classic confusion: an HS256 token whose HMAC key is the public key's text."""
    def part(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")
    signing_input = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + b"." + part(
        json.dumps(claims(sub="confused")).encode())
    signature = hmac.new(public_pem.encode(), signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + part(signature)).decode()


@pytest.mark.parametrize(("algorithm", "make_key"), [
    ("RS256", lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)),
    ("ES256", lambda: ec.generate_private_key(ec.SECP256R1())),
])
def test_a_public_key_verifies_rs256_and_es256(app, client, algorithm, make_key):
    private, public = pem_pair(make_key())
    app.config.update(SSO_PUBLIC_KEY=public)

    good = sign_in(client, jwt.encode(claims(), private, algorithm=algorithm))
    other_private, _ = pem_pair(make_key())
    forged = sign_in(client, jwt.encode(claims(sub="x"), other_private, algorithm=algorithm))
    confused = sign_in(client, hmac_keyed_with(public))

    assert good.status_code == 200, good.get_json()
    assert_problem(forged, 401)
    assert_problem(confused, 401)


def test_a_reader_keeps_a_bearer_token_per_browser_up_to_ten(sso_app, client, db):
    tokens = [sign_in(client, hs256()).get_json()["token"] for _ in range(12)]
    reader = client.application.test_client()

    assert db.session.query(ApiToken).count() == 10
    assert reader.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens[0]}"}
                      ).status_code == 401
    assert reader.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens[-1]}"}
                      ).status_code == 200
