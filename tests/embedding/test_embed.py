"""GET /embed.js and the sign-in popup that hands the embed a bearer token."""

from __future__ import annotations

import gzip
import re

import pytest

HOST = "http://127.0.0.2:8123"


def post_form(client, path: str, data: dict):
    """Submit a page's form as a browser does: fields and the form's CSRF token."""
    return client.post(path, data={**data, "csrf_token": client.csrf_token()}, csrf=False)


@pytest.fixture
def embed_app(app):
    app.config.update(EMBED_ORIGINS=[HOST])
    return app


def test_the_script_is_small_cacheable_and_revalidated(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert "public" in response.headers["Cache-Control"]
    assert response.cache_control.max_age == 3600
    assert len(gzip.compress(response.data)) < 40_000
    again = client.get("/embed.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_script_names_its_stylesheet_by_version(client):
    script = client.get("/embed.js").get_data(as_text=True)
    version = re.search(r"/embed\.css\?v=([0-9a-f]{12})", script).group(1)
    style = client.get(f"/embed.css?v={version}")
    assert style.status_code == 200 and style.mimetype == "text/css"
    assert style.cache_control.immutable and style.cache_control.max_age == 365 * 24 * 3600
    assert style.headers["Access-Control-Allow-Origin"] == "*"
    assert not client.get("/embed.css?v=old").cache_control.immutable


def test_the_popup_asks_a_visitor_to_sign_in_first(embed_app, client):
    response = client.get(f"/embed/sign-in?origin={HOST}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_popup_refuses_a_site_that_does_not_embed_us(embed_app, client, reader):
    client.sign_in(reader.email)
    response = client.get("/embed/sign-in?origin=https://evil.example")
    assert response.status_code == 400
    assert "may not sign readers in" in response.get_data(as_text=True)
    refused = post_form(client, "/embed/sign-in", {"origin": "https://evil.example"})
    assert refused.status_code == 400


def test_the_popup_hands_a_working_token_to_the_embedding_site_only(embed_app, client, reader):
    client.sign_in(reader.email)
    asked = client.get(f"/embed/sign-in?origin={HOST}/some/page")
    assert asked.status_code == 200 and HOST in asked.get_data(as_text=True)
    handed = post_form(client, "/embed/sign-in", {"origin": HOST})
    assert handed.status_code == 200
    assert handed.headers["Cache-Control"] == "no-store"
    page = handed.get_data(as_text=True)
    assert f'data-origin="{HOST}"' in page
    token = re.search(r'data-token="([^"]+)"', page).group(1)
    me = client.application.test_client().get(
        "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.get_json()["id"] == reader.id
