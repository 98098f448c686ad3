"""Access control as a table: every route of the app, for every kind of caller.

The routes come from app.url_map, so a new route fails `test_every_route_is_in_the_table` until
its row is written. Each row names a request (path, body) and the status expected for:
anonymous, reader (who owns the comment and the notification), another reader, author (who
owns the post), moderator, admin. Object-level rules are rows too: another reader editing or
deleting the reader's comment, a moderator changing more than `comments_open` of a post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from blog.extensions import db
from blog.models import Notification, Role
from tests.comments.factories import make_comment
from tests.factories import PASSWORD, ApiClient, make_post, make_user

ROLES = ("anonymous", "reader", "other", "author", "moderator", "admin")
IGNORED_METHODS = {"HEAD", "OPTIONS"}
#: Routes being built on another branch: their rows are skipped until the route exists.
PENDING_ROUTES: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Row:
    method: str
    rule: str
    expected: tuple[int, ...]  # in ROLES order
    path: str | None = None  # the rule with the world's values; default: the rule itself
    json: dict | None = None
    form: dict | None = None
    label: str = ""
    headers: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.rule}{' ' + self.label if self.label else ''}"


R = Row
ALL_200 = (200,) * 6
SIGNED_IN = (401, 200, 200, 200, 200, 200)
MODERATORS = (401, 403, 403, 403, 200, 200)
PAGE_MODERATORS = (302, 403, 403, 403, 200, 200)
FORM_MODERATORS = (302, 403, 403, 403, 302, 302)
ADMINS = (401, 403, 403, 403, 403, 200)
ADMINS_NO_SUCH = (401, 403, 403, 403, 403, 404)
COMMENT = "/api/v1/comments/{comment}"

TABLE: list[Row] = [
    # Pages, feeds, operations
    R("GET", "/", ALL_200),
    R("GET", "/tags/<slug>", ALL_200, "/tags/politics"),
    R("GET", "/posts/<slug>", ALL_200, "/posts/{post}"),
    R("GET", "/posts/<slug>", (404, 404, 404, 200, 404, 200), "/posts/{draft}", label="draft"),
    R("POST", "/posts/<slug>/comments", (302, 303, 303, 303, 303, 303), "/posts/{post}/comments",
      form={"body": "From the form."}),
    R("GET", "/login", ALL_200),
    R("POST", "/login", (401,) * 6, form={"email": "nobody@example.com", "password": "x" * 12}),
    R("GET", "/register", ALL_200),
    R("POST", "/register", (422,) * 6, form={"email": "bad", "password": "short"}),
    R("GET", "/logout", ALL_200),
    R("POST", "/logout", (302,) * 6),
    R("GET", "/notifications", (302, 200, 200, 200, 200, 200)),
    R("POST", "/notifications/read", (302,) * 6),
    R("GET", "/static/<path:filename>", ALL_200, "/static/style.css"),
    R("GET", "/feeds/posts.atom", ALL_200),
    R("GET", "/feeds/tags/<slug>.atom", ALL_200, "/feeds/tags/politics.atom"),
    R("GET", "/feeds/posts/<slug>/comments.atom", ALL_200, "/feeds/posts/{post}/comments.atom"),
    R("GET", "/healthz", ALL_200),
    R("GET", "/write", (302, 403, 403, 200, 403, 200)),
    R("GET", "/write/new", (302, 403, 403, 200, 403, 200)),
    R("POST", "/write/new", (302, 403, 403, 422, 403, 422), form={"title": ""}),
    R("GET", "/write/<slug>/edit", (302, 403, 403, 200, 403, 200), "/write/{post}/edit"),
    R("GET", "/write/<slug>/edit", (302, 403, 403, 200, 403, 200), "/write/{draft}/edit",
      label="draft"),
    R("POST", "/write/<slug>/edit", (302, 403, 403, 422, 403, 422), "/write/{post}/edit",
      form={"title": ""}),
    R("POST", "/write/<slug>/unpublish", (302, 403, 403, 303, 403, 303),
      "/write/{post}/unpublish"),
    R("POST", "/comments/<int:comment_id>/vote", (302,) + (303,) * 5,
      "/comments/{comment}/vote", form={"value": "1"}),
    R("POST", "/comments/<int:comment_id>/flag", (302,) + (303,) * 5,
      "/comments/{comment}/flag",
      form={"reason": "spam"}),
    R("GET", "/comments/<int:comment_id>/edit", (302, 200, 303, 303, 200, 200),
      "/comments/{comment}/edit"),
    R("POST", "/comments/<int:comment_id>/edit", (302, 303, 403, 403, 303, 303),
      "/comments/{comment}/edit",
      form={"body": "Changed"}),
    R("POST", "/comments/<int:comment_id>/delete", (302,) + (303,) * 5,
      "/comments/{comment}/delete"),
    R("POST", "/follows/posts/<slug>", (302,) + (303,) * 5, "/follows/posts/{post}",
      form={"level": "all"}),
    R("POST", "/follows/authors/<int:user_id>", (302,) + (303,) * 5, "/follows/authors/{author}"),
    R("POST", "/follows/tags/<slug>", (302,) + (303,) * 5, "/follows/tags/politics"),
    R("POST", "/subscribe", (422,) * 6),
    R("GET", "/embed.js", ALL_200),
    R("GET", "/embed.css", ALL_200),
    # The popup hands tokens to EMBED_ORIGINS only; this world has none.
    R("GET", "/embed/sign-in", (302, 400, 400, 400, 400, 400),
      "/embed/sign-in?origin=https://news.example"),
    R("POST", "/embed/sign-in", (302, 400, 400, 400, 400, 400), form={"origin": "https://news.example"}),
    R("GET", "/favicon.ico", (301,) * 6),
    R("GET", "/subscriptions/confirm", (400,) * 6, "/subscriptions/confirm?token=forged"),
    R("GET", "/subscriptions/unsubscribe", (400,) * 6, "/subscriptions/unsubscribe?token=forged"),
    R("POST", "/subscriptions/unsubscribe", (400,) * 6, "/subscriptions/unsubscribe?token=forged"),
    # The moderators' pages and forms
    R("GET", "/admin/moderation", PAGE_MODERATORS),
    R("GET", "/admin/log", PAGE_MODERATORS),
    R("GET", "/admin/users", PAGE_MODERATORS),
    R("GET", "/admin/users/<int:user_id>", PAGE_MODERATORS, "/admin/users/{reader}"),
    R("GET", "/admin/bans", PAGE_MODERATORS),
    R("GET", "/admin/dashboard", PAGE_MODERATORS),
    R("GET", "/admin/webhooks", (302, 403, 403, 403, 403, 200)),
    R("POST", "/admin/webhooks", (302, 403, 403, 403, 403, 422), form={"url": ""}),
    R("POST", "/admin/webhooks/<int:endpoint_id>/enable", (302, 403, 403, 403, 403, 404),
      "/admin/webhooks/999999/enable"),
    R("POST", "/admin/webhooks/<int:endpoint_id>/delete", (302, 403, 403, 403, 403, 404),
      "/admin/webhooks/999999/delete"),
    R("POST", "/admin/webhooks/<int:endpoint_id>/rotate-secret", (302, 403, 403, 403, 403, 404),
      "/admin/webhooks/999999/rotate-secret"),
    R("GET", "/admin/moderation/comments/<int:comment_id>", PAGE_MODERATORS,
      "/admin/moderation/comments/{comment}"),
    R("POST", "/admin/moderation/comments/<int:comment_id>", FORM_MODERATORS,
      "/admin/moderation/comments/{comment}", form={"action": "reject"}),
    R("POST", "/admin/moderation/bulk", FORM_MODERATORS,
      form={"action": "approve", "ids": "{pending}"}),
    R("POST", "/admin/moderation/posts/<slug>/premoderation", FORM_MODERATORS,
      "/admin/moderation/posts/{post}/premoderation", form={"premoderate": "on"}),
    R("POST", "/admin/users/<int:user_id>/ban", FORM_MODERATORS, "/admin/users/{other}/ban",
      form={"reason": "spam", "confirm": "yes"}),
    R("POST", "/admin/users/<int:user_id>/unban", FORM_MODERATORS, "/admin/users/{other}/unban"),
    # Auth and the signed-in account
    R("GET", "/api/v1/openapi.json", ALL_200),
    R("GET", "/api/v1/auth/csrf", ALL_200),
    R("POST", "/api/v1/auth/register", (201,) * 6,
      json={"email": "new@example.com", "password": PASSWORD, "display_name": "New One"}),
    R("POST", "/api/v1/auth/login", (401,) * 6,
      json={"email": "nobody@example.com", "password": "x" * 12}),
    R("POST", "/api/v1/auth/sso", (401,) * 6, json={"token": "not.a.token"}),
    R("POST", "/api/v1/auth/logout", (401, 204, 204, 204, 204, 204)),
    R("GET", "/api/v1/me", SIGNED_IN),
    R("POST", "/api/v1/me/tokens", (401, 201, 201, 201, 201, 201), json={"name": "script"}),
    R("POST", "/api/v1/me/password", (401, 204, 204, 204, 204, 204),
      json={"current_password": PASSWORD, "new_password": "a new long password"}),
    R("GET", "/api/v1/me/export", SIGNED_IN),
    # The author still has a post: an editor must hand it over first.
    R("DELETE", "/api/v1/me", (401, 204, 204, 409, 204, 204), json={"password": PASSWORD}),
    R("PATCH", "/api/v1/me", SIGNED_IN, json={"display_name": "A New Name"}),
    R("POST", "/api/v1/auth/password-reset", (202,) * 6, json={"email": "nobody@example.com"}),
    R("POST", "/api/v1/auth/password-reset/confirm", (422,) * 6,
      json={"token": "not-a-token", "password": "a new long password"}),
    # The account pages (anonymous: the sign-in page)
    R("GET", "/account", (302, 200, 200, 200, 200, 200)),
    R("POST", "/account/name", (302,) * 6, form={"display_name": "A New Name"}),
    R("POST", "/account/password", (302,) * 6,
      form={"current_password": PASSWORD, "new_password": "a new long password"}),
    R("POST", "/account/email", (302,) * 6, form={"email": "daily"}),
    R("GET", "/account/export", (302, 200, 200, 200, 200, 200)),
    R("GET", "/account/delete", (302, 200, 200, 200, 200, 200)),
    R("POST", "/account/delete", (302, 302, 302, 409, 302, 302), form={"password": PASSWORD}),
    R("GET", "/password-reset", ALL_200),
    R("POST", "/password-reset", ALL_200, form={"email": "nobody@example.com"}),
    R("GET", "/password-reset/<token>", (400,) * 6, "/password-reset/not-a-token"),
    R("POST", "/password-reset/<token>", (400,) * 6, "/password-reset/not-a-token",
      form={"password": "a new long password"}),
    # Posts
    R("GET", "/api/v1/posts", ALL_200),
    R("POST", "/api/v1/posts", (401, 403, 403, 201, 403, 201), json={"title": "A new post"}),
    R("GET", "/api/v1/posts/<slug>", ALL_200, "/api/v1/posts/{post}"),
    R("GET", "/api/v1/posts/<slug>", (404, 404, 404, 200, 404, 200), "/api/v1/posts/{draft}",
      label="draft"),
    R("PATCH", "/api/v1/posts/<slug>", (401, 403, 403, 200, 403, 200), "/api/v1/posts/{post}",
      json={"title": "Changed"}),
    R("PATCH", "/api/v1/posts/<slug>", (401, 403, 403, 200, 200, 200), "/api/v1/posts/{post}",
      json={"comments_open": False}, label="comments_open"),
    R("GET", "/api/v1/posts/<slug>/related", ALL_200, "/api/v1/posts/{post}/related"),
    R("GET", "/api/v1/comment-counts", ALL_200, "/api/v1/comment-counts?post={post}"),
    R("PUT", "/api/v1/threads", (403, 403, 403, 201, 403, 201),
      json={"url": "https://news.example.com/a", "title": "A"}),
    # Comments
    R("GET", "/api/v1/posts/<slug>/comments", ALL_200, "/api/v1/posts/{post}/comments"),
    R("POST", "/api/v1/posts/<slug>/comments", (401, 201, 201, 201, 201, 201),
      "/api/v1/posts/{post}/comments", json={"body": "Well said."}),
    R("GET", "/api/v1/comments/<int:comment_id>", ALL_200, COMMENT),
    R("GET", "/api/v1/comments/<int:comment_id>", (404, 200, 404, 404, 200, 200),
      "/api/v1/comments/{pending}", label="pending"),
    R("PATCH", "/api/v1/comments/<int:comment_id>", (401, 200, 403, 403, 200, 200), COMMENT,
      json={"body": "Edited."}),
    R("DELETE", "/api/v1/comments/<int:comment_id>", (401, 204, 403, 403, 204, 204), COMMENT),
    R("PUT", "/api/v1/comments/<int:comment_id>/vote", (401, 403, 200, 200, 200, 200),
      COMMENT + "/vote", json={"value": 1}),
    R("POST", "/api/v1/comments/<int:comment_id>/flags", (401, 201, 201, 201, 201, 201),
      COMMENT + "/flags", json={"reason": "spam"}),
    # Webhooks (admins only; endpoint 999999 does not exist, so an admin gets 404)
    R("GET", "/api/v1/webhooks", ADMINS),
    R("POST", "/api/v1/webhooks", (401, 403, 403, 403, 403, 422), json={"events": []}),
    R("DELETE", "/api/v1/webhooks/<int:endpoint_id>", ADMINS_NO_SUCH,
      "/api/v1/webhooks/999999"),
    R("POST", "/api/v1/webhooks/<int:endpoint_id>/enable", ADMINS_NO_SUCH,
      "/api/v1/webhooks/999999/enable"),
    R("POST", "/api/v1/webhooks/<int:endpoint_id>/rotate-secret", ADMINS_NO_SUCH,
      "/api/v1/webhooks/999999/rotate-secret", json={}),
    R("GET", "/api/v1/webhooks/<int:endpoint_id>/deliveries", ADMINS_NO_SUCH,
      "/api/v1/webhooks/999999/deliveries"),
    # Moderation
    R("GET", "/api/v1/moderation/queue", MODERATORS),
    R("GET", "/api/v1/moderation/log", MODERATORS),
    R("POST", "/api/v1/moderation/comments/<int:comment_id>", MODERATORS,
      "/api/v1/moderation/comments/{pending}", json={"action": "approve"}),
    R("POST", "/api/v1/moderation/bulk", MODERATORS,
      json={"ids": ["{pending}"], "action": "reject"}),
    R("PUT", "/api/v1/moderation/users/<int:user_id>/ban", MODERATORS,
      "/api/v1/moderation/users/{other}/ban", json={"reason": "spam"}),
    R("DELETE", "/api/v1/moderation/users/<int:user_id>/ban", (401, 403, 403, 403, 204, 204),
      "/api/v1/moderation/users/{other}/ban"),
    R("PUT", "/api/v1/moderation/posts/<slug>/premoderation", MODERATORS,
      "/api/v1/moderation/posts/{post}/premoderation", json={"premoderate": True}),
    # Follows, notifications, preferences, subscriptions
    R("GET", "/api/v1/me/follows", SIGNED_IN),
    R("PUT", "/api/v1/me/follows/posts/<slug>", SIGNED_IN, "/api/v1/me/follows/posts/{post}",
      json={"level": "all"}),
    R("DELETE", "/api/v1/me/follows/posts/<slug>", (401, 204, 204, 204, 204, 204),
      "/api/v1/me/follows/posts/{post}"),
    R("PUT", "/api/v1/me/follows/authors/<int:user_id>", (401, 200, 200, 422, 200, 200),
      "/api/v1/me/follows/authors/{author}", label="(not oneself)"),
    R("DELETE", "/api/v1/me/follows/authors/<int:user_id>", (401, 204, 204, 204, 204, 204),
      "/api/v1/me/follows/authors/{author}"),
    R("PUT", "/api/v1/me/follows/tags/<tag>", SIGNED_IN, "/api/v1/me/follows/tags/politics"),
    R("DELETE", "/api/v1/me/follows/tags/<tag>", (401, 204, 204, 204, 204, 204),
      "/api/v1/me/follows/tags/politics"),
    R("GET", "/api/v1/me/notifications", SIGNED_IN),
    R("GET", "/api/v1/me/notifications/unread-count", SIGNED_IN),
    R("POST", "/api/v1/me/notifications/read", (401, 204, 204, 204, 204, 204),
      json={"all": True}),
    R("GET", "/api/v1/me/preferences", SIGNED_IN),
    R("PATCH", "/api/v1/me/preferences", SIGNED_IN, json={"email": "daily"}),
    R("POST", "/api/v1/subscriptions", (202,) * 6, json={"email": "visitor@example.com"}),
]


def route_key(rule) -> list[tuple[str, str]]:
    return [(method, rule.rule) for method in sorted(rule.methods - IGNORED_METHODS)]


def test_every_route_is_in_the_table(app):
    rows = {(row.method, row.rule) for row in TABLE}
    routes = {key for rule in app.url_map.iter_rules() for key in route_key(rule)}

    assert routes - rows == set(), "routes without a row in the access table"
    assert rows - routes <= set(PENDING_ROUTES), "rows for routes that do not exist"


@pytest.fixture
def world(app):
    """The same small world for every row: who owns what."""
    reader = make_user(Role.READER, display_name="Rita Reader")
    other = make_user(Role.READER, display_name="Otto Other")
    author = make_user(Role.AUTHOR, display_name="Ada Author")
    moderator = make_user(Role.MODERATOR, display_name="Mo Moderator")
    admin = make_user(Role.ADMIN, display_name="Al Admin")
    post = make_post(author, "The post", tags=["Politics"])
    draft = make_post(author, "The draft", status="draft")
    comment = make_comment(post, reader, "The reader's comment.", status="approved")
    pending = make_comment(post, reader, "The reader's held comment.", status="pending")
    db.session.add(Notification(user_id=reader.id, kind="reply", reason="reply", event_key="t1",
                                post_id=post.id, comment_id=comment.id))
    db.session.commit()
    users = {"reader": reader, "other": other, "author": author, "moderator": moderator,
             "admin": admin}
    values = {"post": post.slug, "draft": draft.slug, "comment": comment.id,
              "pending": pending.id, **{name: user.id for name, user in users.items()}}
    return users, values


def fill(value, values: dict):
    """Put the world's ids and slugs into a path, form or JSON body."""
    if isinstance(value, str):
        whole = re.fullmatch(r"\{(\w+)\}", value)
        if whole and isinstance(values.get(whole.group(1)), int):
            return values[whole.group(1)]
        return value.format(**values)
    if isinstance(value, list):
        return [fill(item, values) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, values) for key, item in value.items()}
    return value


def client_for(app, role: str, users: dict) -> ApiClient:
    app.test_client_class = ApiClient
    client = app.test_client()
    if role != "anonymous":
        client.sign_in(users[role].email, PASSWORD)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.id)
def test_the_access_table(app, world, row, role):
    if (row.method, row.rule) in PENDING_ROUTES and not route_exists(app, row):
        pytest.skip(PENDING_ROUTES[(row.method, row.rule)])
    users, values = world
    client = client_for(app, role, users)
    kwargs = {}
    if row.json is not None:
        kwargs["json"] = fill(row.json, values)
    if row.form is not None:
        kwargs["data"] = fill(row.form, values)

    response = client.open(fill(row.path or row.rule, values), method=row.method, **kwargs)

    expected = row.expected[ROLES.index(role)]
    assert response.status_code == expected, response.get_data(as_text=True)[:500]
    if row.rule.startswith("/api/") and expected >= 400:
        assert response.mimetype == "application/problem+json"


def test_every_api_answer_in_the_table_is_documented(client):
    document = client.get("/api/v1/openapi.json").get_json()
    undocumented = []
    for row in TABLE:
        if not row.rule.startswith("/api/v1/") or row.rule.endswith("openapi.json"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", row.rule)
        operation = document["paths"].get(path, {}).get(row.method.lower())
        if operation is None:
            assert (row.method, row.rule) in PENDING_ROUTES
            continue
        undocumented += [(row.id, status) for status in set(row.expected)
                         if str(status) not in operation["responses"]]

    assert undocumented == []


def route_exists(app, row: Row) -> bool:
    return any((row.method, row.rule) in route_key(rule) for rule in app.url_map.iter_rules())


# --- Object-level: nobody reads or changes what is another reader's ------------------------

def test_another_reader_sees_none_of_the_readers_notifications(app, world):
    users, values = world
    other = client_for(app, "other", users)

    listed = other.get("/api/v1/me/notifications").get_json()["items"]
    other.post("/api/v1/me/notifications/read", json={"ids": [1, 2, 3]})
    reader = client_for(app, "reader", users)

    assert listed == []
    assert other.get("/api/v1/me/notifications/unread-count").get_json() == {"count": 0}
    assert reader.get("/api/v1/me/notifications/unread-count").get_json() == {"count": 1}


def test_another_reader_sees_none_of_the_readers_follows(app, world):
    users, values = world
    reader = client_for(app, "reader", users)
    assert reader.put(f"/api/v1/me/follows/posts/{values['post']}",
                      json={"level": "all"}).status_code == 200
    other = client_for(app, "other", users)

    assert other.get("/api/v1/me/follows").get_json()["items"] == []
    assert other.delete(f"/api/v1/me/follows/posts/{values['post']}").status_code == 204
    assert len(reader.get("/api/v1/me/follows").get_json()["items"]) == 1


def test_the_export_holds_only_the_callers_data(app, world):
    users, values = world
    other = client_for(app, "other", users)

    text = other.get("/api/v1/me/export").get_data(as_text=True)

    assert users["reader"].email not in text
    assert "The reader's comment." not in text


def test_a_reader_cannot_edit_another_readers_comment_with_a_bearer_token(app, world):
    users, values = world
    other = client_for(app, "other", users)
    token = other.post("/api/v1/me/tokens", json={"name": "script"}).get_json()["token"]
    app.test_client_class = ApiClient
    bearer = {"Authorization": f"Bearer {token}"}
    anonymous = app.test_client()

    edited = anonymous.patch(f"/api/v1/comments/{values['comment']}", json={"body": "Mine now"},
                             headers=bearer)
    deleted = anonymous.delete(f"/api/v1/comments/{values['comment']}", headers=bearer)
    decided = anonymous.post(f"/api/v1/moderation/comments/{values['pending']}",
                             json={"action": "approve"}, headers=bearer)

    assert (edited.status_code, deleted.status_code, decided.status_code) == (403, 403, 403)
    shown = anonymous.get(f"/api/v1/comments/{values['comment']}").get_json()
    assert "reader's comment" in shown["body_html"]
