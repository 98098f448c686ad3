"""Factories for test data, made through the same services the app uses, and a test client."""

from __future__ import annotations

import itertools
from datetime import timedelta

from flask.testing import FlaskClient

from blog.extensions import db
from blog.models import Post, Role, User, utcnow
from blog.services import accounts, posts

PASSWORD = "correct horse battery"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_numbers = itertools.count(1)


def make_user(role: Role = Role.READER, email: str | None = None,
              display_name: str | None = None, password: str = PASSWORD) -> User:
    number = next(_numbers)
    user = accounts.register_user(email or f"user{number}@example.com", password,
                                  display_name or f"User {number}", role)
    db.session.commit()
    return user


def make_post(author: User, title: str | None = None, *, status: str = "published",
              tags: list[str] | None = None, body_html: str = "<p>Body text.</p>",
              summary: str = "A summary.", hours_ago: float | None = None, **fields) -> Post:
    post = posts.create_post(author, {
        "title": title or f"Post number {next(_numbers)}",
        "summary": summary, "body_html": body_html, "tags": tags or [], "status": status,
        **fields,
    })
    if hours_ago is not None and post.published_at:
        post.published_at = utcnow() - timedelta(hours=hours_ago)
    db.session.commit()
    return post


class ApiClient(FlaskClient):
    """A test client that sends the CSRF header on unsafe requests, as a browser front-end does.

    Pass `csrf=False` to send none, and `csrf="..."` to send a given value.
    """

    user: User | None = None

    def open(self, *args, csrf: bool | str = True, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        headers = dict(kwargs.pop("headers", None) or {})
        if method in UNSAFE and csrf and "X-CSRF-Token" not in headers:
            if isinstance(csrf, str):
                headers["X-CSRF-Token"] = csrf
            elif self.get_cookie("session") is not None:
                headers["X-CSRF-Token"] = self.csrf_token()
        # A fresh app context per request, as in production: nothing in `g` survives a request.
        with self.application.app_context():
            return super().open(*args, headers=headers, **kwargs)

    def csrf_token(self) -> str:
        with self.application.app_context():
            return super().open("/api/v1/auth/csrf").get_json()["csrf_token"]

    def sign_in(self, email: str, password: str = PASSWORD):
        response = self.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.get_json()
        return response
