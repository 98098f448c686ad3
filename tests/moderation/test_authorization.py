"""Every moderation API route, for every role: 401 anonymous, 403 reader/author, else allowed."""

from __future__ import annotations

import pytest

from blog.models import CommentStatus
from tests.moderation.factories import make_comment

ROLES = [("client", 401), ("reader_client", 403), ("author_client", 403),
         ("moderator_client", None), ("admin_client", None)]


def routes(comment, user, post):
    return [
        ("GET", "/api/v1/moderation/queue", None, 200),
        ("GET", "/api/v1/moderation/queue?status=flagged", None, 200),
        ("POST", f"/api/v1/moderation/comments/{comment.id}", {"action": "approve"}, 200),
        ("POST", "/api/v1/moderation/bulk", {"ids": [comment.id], "action": "reject"}, 200),
        ("GET", "/api/v1/moderation/log", None, 200),
        ("PUT", f"/api/v1/moderation/users/{user.id}/ban", {"reason": "x"}, 200),
        ("DELETE", f"/api/v1/moderation/users/{user.id}/ban", None, 204),
        ("PUT", f"/api/v1/moderation/posts/{post.slug}/premoderation", {"premoderate": True}, 200),
    ]


@pytest.mark.parametrize(("client_name", "refusal"), ROLES)
@pytest.mark.parametrize("route", range(8))
def test_every_route_is_for_moderators_and_admins_only(
        request, post, other_reader, client_name, refusal, route):
    client = request.getfixturevalue(client_name)
    comment = make_comment(post, other_reader, status=CommentStatus.PENDING)
    method, path, body, success = routes(comment, other_reader, post)[route]
    response = client.open(path, method=method, json=body)
    assert response.status_code == (refusal or success), response.get_data(as_text=True)
    if refusal:
        assert response.mimetype == "application/problem+json"


def test_bearer_tokens_work_without_csrf(moderator_client, post, other_reader, app):
    answer = moderator_client.post("/api/v1/me/tokens", json={"name": "script"})
    assert answer.status_code == 201
    token = answer.get_json()
    comment = make_comment(post, other_reader, status=CommentStatus.PENDING)
    bare = app.test_client()
    response = bare.post(f"/api/v1/moderation/comments/{comment.id}", json={"action": "approve"},
                         headers={"Authorization": f"Bearer {token['token']}"})
    assert response.status_code == 200


def test_a_cookie_request_without_the_csrf_token_is_refused(moderator_client, post, other_reader):
    comment = make_comment(post, other_reader, status=CommentStatus.PENDING)
    response = moderator_client.post(f"/api/v1/moderation/comments/{comment.id}",
                                     json={"action": "approve"}, csrf=False)
    assert response.status_code == 403
