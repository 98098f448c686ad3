"""The moderators' pages: who may see them, and that every form does what it says."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Ban, Comment, CommentStatus, ModerationLogEntry, PostModeration
from tests.factories import make_post
from tests.moderation.factories import flag, make_comment

PAGES = ["/admin/moderation", "/admin/moderation?status=flagged",
         "/admin/moderation?status=approved", "/admin/log", "/admin/bans",
         "/admin/users", "/admin/users?q=Rita"]


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_get_the_sign_in_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role_client", ["reader_client", "author_client"])
@pytest.mark.parametrize("path", PAGES)
def test_readers_and_authors_are_refused(request, role_client, path):
    response = request.getfixturevalue(role_client).get(path)
    assert response.status_code == 403
    assert "Moderation queue" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role_client", ["moderator_client", "admin_client"])
@pytest.mark.parametrize("path", PAGES)
def test_moderators_and_admins_see_the_pages(request, role_client, path):
    response = request.getfixturevalue(role_client).get(path)
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def form_posts(comment, user, post):
    return [
        (f"/admin/moderation/comments/{comment.id}", {"action": "approve"}),
        ("/admin/moderation/bulk", {"ids": [str(comment.id)], "action": "reject",
                                    "confirm": "yes"}),
        (f"/admin/users/{user.id}/ban", {"days": "7", "confirm": "yes"}),
        (f"/admin/users/{user.id}/unban", {}),
        (f"/admin/moderation/posts/{post.slug}/premoderation", {"premoderate": "on"}),
    ]


@pytest.mark.parametrize(("client_name", "expected"), [
    ("client", 302), ("reader_client", 403), ("author_client", 403),
    ("moderator_client", 302), ("admin_client", 302),
])
@pytest.mark.parametrize("form", range(5))
def test_every_form_is_for_moderators_only(request, post, other_reader, client_name, expected,
                                           form):
    comment = make_comment(post, other_reader, status=CommentStatus.PENDING)
    db.session.add(Ban(user_id=other_reader.id))  # so that unbanning has something to lift
    db.session.commit()
    path, data = form_posts(comment, other_reader, post)[form]
    response = request.getfixturevalue(client_name).post(path, data=data)
    assert response.status_code == expected
    if client_name == "client":
        assert response.headers["Location"].startswith("/login")
    changed = db.session.scalar(select(ModerationLogEntry)) is not None
    assert changed is (expected == 302 and client_name != "client")


def test_the_queue_page_shows_everything_a_moderator_weighs(app, post, reader, other_reader,
                                                            moderator_client):
    app.config["MODERATION_FLAG_THRESHOLD"] = 1
    make_comment(post, reader, status="approved")
    make_comment(post, reader, status="rejected")
    parent = make_comment(post, other_reader, "What the parent said.")
    comment = make_comment(post, reader, "A bold reply", parent=parent,
                           signals=["suspect_word"])
    flag(comment, other_reader, "abuse", "rude words")
    page = text_of(moderator_client.get("/admin/moderation?status=flagged"))
    assert post.title in page and "A bold reply" in page
    assert f'href="/posts/{post.slug}"' in page
    assert f"In reply to #{parent.id}: What the parent said." in page
    assert "1 approved" in page and "1 rejected" in page
    assert "account just now old" in page
    assert "suspect word" in page and "reader flags" in page
    assert "abuse by Otto Other: “rude words”" in page
    for button in ('value="approve"', 'value="reject"', 'value="spam"', "Ban Rita Reader"):
        assert button in page
    assert 'name="csrf_token"' in page
    assert "<script>" not in page.replace('<script src="/static/admin.js" defer></script>', "")


def test_the_queue_page_filters_by_post_and_pages(author, post, reader, moderator_client):
    other = make_post(author, "Elsewhere entirely")
    for _ in range(21):
        make_comment(post, reader, status=CommentStatus.PENDING)
    make_comment(other, reader, "only on the other post", status=CommentStatus.PENDING)
    first = text_of(moderator_client.get("/admin/moderation"))
    assert first.count('class="queue-item"') == 20
    assert "Next page" in first
    filtered = text_of(moderator_client.get(f"/admin/moderation?post={other.slug}"))
    assert filtered.count('class="queue-item"') == 1
    assert "only on the other post" in filtered


def test_the_queue_tabs_count_what_waits_for_a_decision(post, reader, other_reader,
                                                       moderator_client):
    for _ in range(3):
        make_comment(post, reader, status=CommentStatus.PENDING)
    make_comment(post, reader, status=CommentStatus.FLAGGED)
    flag(make_comment(post, reader), other_reader)  # approved, with one open flag
    make_comment(post, reader)  # approved, unflagged: waits for nothing
    for status in (CommentStatus.SPAM, CommentStatus.REJECTED):
        make_comment(post, reader, status=status)
    page = text_of(moderator_client.get("/admin/moderation"))
    start = page.index('class="queue-tabs"')
    tabs = page[start:page.index("</nav>", start)]
    assert 'Pending <span class="count">3</span>' in tabs
    assert 'Flagged <span class="count">2</span>' in tabs
    assert tabs.count('class="count"') == 2


def test_the_approve_button_approves_and_comes_back(post, reader, moderator_client):
    comment = make_comment(post, reader, status=CommentStatus.PENDING)
    response = moderator_client.post(
        f"/admin/moderation/comments/{comment.id}",
        data={"action": "approve", "reason": "fine", "next": "/admin/moderation?status=pending"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/moderation?status=pending"
    db.session.refresh(comment)
    assert comment.status == "approved"
    assert "is now approved" in text_of(moderator_client.get("/admin/moderation"))


def test_a_form_without_the_csrf_token_is_refused(post, reader, moderator_client):
    comment = make_comment(post, reader, status=CommentStatus.PENDING)
    response = moderator_client.post(f"/admin/moderation/comments/{comment.id}",
                                     data={"action": "approve"}, csrf=False)
    assert response.status_code == 403
    db.session.refresh(comment)
    assert comment.status == "pending"


def test_a_refused_decision_is_a_message_not_an_error_page(post, reader, moderator_client):
    comment = make_comment(post, reader, status=CommentStatus.DELETED)
    response = moderator_client.post(f"/admin/moderation/comments/{comment.id}",
                                     data={"action": "approve"}, follow_redirects=True)
    assert response.status_code == 200
    assert "can no longer be decided" in text_of(response)


def test_an_outside_next_is_not_followed(post, reader, moderator_client):
    comment = make_comment(post, reader, status=CommentStatus.PENDING)
    response = moderator_client.post(f"/admin/moderation/comments/{comment.id}",
                                     data={"action": "spam", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_bulk_decides_the_selected(post, reader, moderator_client):
    chosen = [make_comment(post, reader, status=CommentStatus.PENDING) for _ in range(2)]
    left = make_comment(post, reader, status=CommentStatus.PENDING)
    response = moderator_client.post("/admin/moderation/bulk", data={
        "ids": [str(c.id) for c in chosen] + ["999999"], "action": "spam"},
        follow_redirects=True)
    page = text_of(response)
    assert "Marked as spam: 2 comments." in page
    assert "Comment #999999: No such comment." in page
    statuses = dict(db.session.execute(select(Comment.id, Comment.status)).all())
    assert [statuses[c.id] for c in chosen] == ["spam", "spam"]
    assert statuses[left.id] == "pending"


def test_ban_and_unban_from_the_user_page(reader, moderator_client):
    page = text_of(moderator_client.get(f"/admin/users/{reader.id}"))
    assert "Ban Rita Reader" in page
    moderator_client.post(f"/admin/users/{reader.id}/ban",
                          data={"days": "7", "shadow": "on", "reason": "trolling",
                                "confirm": "yes"})
    ban = db.session.scalar(select(Ban))
    assert ban.shadow and ban.until is not None and ban.reason == "trolling"
    page = text_of(moderator_client.get(f"/admin/users/{reader.id}"))
    assert "Shadow-banned" in page and "Lift the ban" in page
    moderator_client.post(f"/admin/users/{reader.id}/unban")
    assert db.session.scalar(select(Ban)) is None


def test_the_user_page_lists_their_comments_in_every_status(post, reader, moderator_client):
    make_comment(post, reader, "kept", status="approved")
    make_comment(post, reader, "binned", status="spam")
    page = text_of(moderator_client.get(f"/admin/users/{reader.id}"))
    assert "kept" in page and "binned" in page


def test_user_search_finds_by_name_and_only_admins_by_email(reader, moderator_client,
                                                            admin_client):
    assert "Rita Reader" in text_of(moderator_client.get("/admin/users?q=rita"))
    assert "Rita Reader" not in text_of(moderator_client.get(f"/admin/users?q={reader.email}"))
    assert "Rita Reader" in text_of(admin_client.get(f"/admin/users?q={reader.email}"))


def test_the_log_page_shows_decisions(post, reader, moderator_client):
    comment = make_comment(post, reader, status=CommentStatus.PENDING)
    moderator_client.post(f"/admin/moderation/comments/{comment.id}",
                          data={"action": "reject", "reason": "personal attack"})
    page = text_of(moderator_client.get("/admin/log"))
    assert "Mo Moderator" in page and f"comment #{comment.id}" in page
    assert "pending → rejected" in page and "personal attack" in page


def test_premoderation_of_a_post_can_be_switched_on(post, moderator_client):
    moderator_client.post(f"/admin/moderation/posts/{post.slug}/premoderation",
                          data={"premoderate": "on"})
    assert db.session.get(PostModeration, post.id).premoderate is True


def test_the_nav_links_to_the_queue_for_moderators_only(moderator_client, reader_client):
    assert 'href="/admin/moderation"' in moderator_client.get("/").get_data(as_text=True)
    assert 'href="/admin/moderation"' not in reader_client.get("/").get_data(as_text=True)
