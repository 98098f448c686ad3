"""Issue 17: the admin pages do all the moderation API does, and fit a phone."""

from __future__ import annotations

import html
from datetime import timedelta

from sqlalchemy import select

from blog.extensions import db
from blog.models import Ban, Comment, CommentFlag, CommentStatus, utcnow
from tests.factories import make_post
from tests.moderation.factories import flag, make_comment


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_single_flag_puts_a_comment_in_the_flagged_tab_with_its_reason(
        app, post, reader, other_reader, moderator_client):
    app.config["MODERATION_FLAG_THRESHOLD"] = 3
    comment = make_comment(post, reader, "Still in public view")
    flag(comment, other_reader, "off_topic", "nothing to do with bridges")
    db.session.refresh(comment)
    assert comment.status == "approved"
    page = text_of(moderator_client.get("/admin/moderation?status=flagged"))
    assert "Still in public view" in page
    assert "off topic by Otto Other: “nothing to do with bridges”" in page
    assert "Keep, clear flags" in page
    assert "Flagged <span class=\"count\">1</span>" in " ".join(page.split())


def test_keep_and_clear_flags_empties_the_flagged_tab(app, post, reader, other_reader,
                                                      moderator_client):
    app.config["MODERATION_FLAG_THRESHOLD"] = 1
    comment = make_comment(post, reader, "Taken out of view by one flag")
    flag(comment, other_reader, "abuse")
    moderator_client.post(f"/admin/moderation/comments/{comment.id}", data={"action": "approve"})
    db.session.refresh(comment)
    assert comment.status == "approved" and comment.flag_count == 0
    assert db.session.scalar(select(CommentFlag.cleared_at)) is not None
    page = text_of(moderator_client.get("/admin/moderation?status=flagged"))
    assert "Taken out of view by one flag" not in page


def test_the_approved_tab_lists_approved_comments_in_api_and_page(post, reader, moderator_client):
    make_comment(post, reader, "Published and fine")
    make_comment(post, reader, "Still waiting", status=CommentStatus.PENDING)
    page = text_of(moderator_client.get("/admin/moderation?status=approved"))
    assert "Published and fine" in page and "Still waiting" not in page
    api = moderator_client.get("/api/v1/moderation/queue?status=approved").get_json()
    assert [item["body"] for item in api["items"]] == ["Published and fine"]


def test_search_finds_by_text_and_author_name_and_email(post, reader, other_reader,
                                                        moderator_client):
    make_comment(post, reader, "About the ferry timetable", status=CommentStatus.PENDING)
    make_comment(post, other_reader, "About the tolls", status=CommentStatus.PENDING)
    by_text = text_of(moderator_client.get("/admin/moderation?q=FERRY"))
    assert "ferry timetable" in by_text and "tolls" not in by_text
    by_name = text_of(moderator_client.get("/admin/moderation?q=otto"))
    assert "tolls" in by_name and "ferry" not in by_name
    by_email = text_of(moderator_client.get(f"/admin/moderation?q={other_reader.email}"))
    assert "tolls" in by_email and "ferry" not in by_email
    api = moderator_client.get("/api/v1/moderation/queue?q=ferry").get_json()
    assert [item["body"] for item in api["items"]] == ["About the ferry timetable"]


def test_a_too_long_search_is_a_message_not_an_error(moderator_client):
    response = moderator_client.get("/admin/moderation?q=" + "x" * 201)
    assert response.status_code == 200
    assert "Search: Keep it to 200 characters." in text_of(response)
    assert 'maxlength="200"' in text_of(response)


def test_the_post_filter_takes_an_id_or_a_slug(author, post, reader, moderator_client):
    other = make_post(author, "The tunnel is late")
    make_comment(post, reader, "on the bridge", status=CommentStatus.PENDING)
    make_comment(other, reader, "on the tunnel", status=CommentStatus.PENDING)
    for ref in (str(other.id), other.slug):
        page = text_of(moderator_client.get(f"/admin/moderation?post={ref}"))
        assert "on the tunnel" in page and "on the bridge" not in page
    unknown = moderator_client.get("/admin/moderation?post=no-such-post")
    assert unknown.status_code == 200 and "No post “no-such-post”" in text_of(unknown)
    api = moderator_client.get(f"/api/v1/moderation/queue?post={other.id}").get_json()
    assert [item["body"] for item in api["items"]] == ["on the tunnel"]


def test_the_comment_page_shows_flags_author_history_and_buttons(
        app, post, reader, other_reader, moderator_client):
    app.config["MODERATION_FLAG_THRESHOLD"] = 1
    comment = make_comment(post, reader, "Look at this one")
    flag(comment, other_reader, "spam", "a link farm")
    page = text_of(moderator_client.get(f"/admin/moderation/comments/{comment.id}"))
    assert "Look at this one" in page and "Rita Reader" in page
    assert "spam by Otto Other: “a link farm”" in page
    assert "flag threshold (approved → flagged) by system" in " ".join(page.split())
    for button in ('value="approve"', 'value="reject"', 'value="spam"', "Ban Rita Reader"):
        assert button in page
    assert moderator_client.get("/admin/moderation/comments/999999").status_code == 404


def test_the_article_shows_moderate_links_to_moderators_only(post, reader, moderator_client,
                                                             reader_client):
    comment = make_comment(post, reader, "Public words")
    link = f'href="/admin/moderation/comments/{comment.id}"'
    assert link in moderator_client.get(f"/posts/{post.slug}").get_data(as_text=True)
    assert link not in reader_client.get(f"/posts/{post.slug}").get_data(as_text=True)


def test_a_ban_asks_for_confirmation_first(reader, moderator_client):
    form = {"days": "7", "reason": "trolling", "next": f"/admin/users/{reader.id}"}
    asked = moderator_client.post(f"/admin/users/{reader.id}/ban", data=form)
    assert asked.status_code == 200
    page = text_of(asked)
    assert "Ban Rita Reader for 7 days?" in page and 'name="confirm" value="yes"' in page
    assert db.session.scalar(select(Ban)) is None
    done = moderator_client.post(f"/admin/users/{reader.id}/ban", data={**form, "confirm": "yes"})
    assert done.status_code == 302
    assert db.session.scalar(select(Ban)).reason == "trolling"


def test_bulk_reject_and_delete_ask_first_but_approve_does_not(post, reader, moderator_client):
    chosen = [make_comment(post, reader, status=CommentStatus.PENDING) for _ in range(2)]
    ids = [str(c.id) for c in chosen]
    asked = moderator_client.post("/admin/moderation/bulk", data={"ids": ids, "action": "delete"})
    assert asked.status_code == 200 and "Delete 2 comments?" in text_of(asked)
    assert set(db.session.scalars(select(Comment.status))) == {"pending"}
    moderator_client.post("/admin/moderation/bulk",
                          data={"ids": ids, "action": "delete", "confirm": "yes"})
    assert set(db.session.scalars(select(Comment.status))) == {"deleted"}
    other = make_comment(post, reader, status=CommentStatus.PENDING)
    response = moderator_client.post("/admin/moderation/bulk",
                                     data={"ids": [str(other.id)], "action": "approve"})
    assert response.status_code == 302


def test_the_bans_page_lists_end_dates_and_unbans(reader, other_reader, moderator,
                                                  moderator_client):
    db.session.add(Ban(user_id=reader.id, moderator_id=moderator.id, reason="spam run",
                       until=utcnow() + timedelta(days=3)))
    db.session.add(Ban(user_id=other_reader.id, moderator_id=moderator.id, shadow=True))
    db.session.commit()
    page = text_of(moderator_client.get("/admin/bans"))
    assert page.index("Rita Reader") < page.index("Otto Other")
    assert "spam run" in page and "until lifted" in page and "shadow ban" in page
    assert (utcnow() + timedelta(days=3)).strftime("%Y-%m-%d") in page
    moderator_client.post(f"/admin/users/{reader.id}/unban", data={"next": "/admin/bans"})
    assert "Unban Rita Reader" not in text_of(moderator_client.get("/admin/bans"))


def test_an_ended_ban_is_not_listed(reader, moderator_client):
    db.session.add(Ban(user_id=reader.id, until=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert "Nobody is banned." in text_of(moderator_client.get("/admin/bans"))


def test_a_5000_character_reason_is_refused_on_the_page(post, reader, moderator_client):
    comment = make_comment(post, reader, status=CommentStatus.PENDING)
    queue = text_of(moderator_client.get("/admin/moderation"))
    assert 'maxlength="1000"' in queue
    response = moderator_client.post(f"/admin/moderation/comments/{comment.id}",
                                     data={"action": "reject", "reason": "x" * 5000},
                                     follow_redirects=True)
    assert response.status_code == 200
    assert "Reason: Keep it to 1,000 characters." in text_of(response)
    db.session.refresh(comment)
    assert comment.status == "pending"
    banned = moderator_client.post(f"/admin/users/{reader.id}/ban",
                                   data={"reason": "x" * 5000, "confirm": "yes"},
                                   follow_redirects=True)
    assert "Reason: Keep it to 1,000 characters." in text_of(banned)
    assert db.session.scalar(select(Ban)) is None


def test_the_log_links_comments_and_users(post, reader, moderator_client):
    comment = make_comment(post, reader, status=CommentStatus.PENDING)
    moderator_client.post(f"/admin/moderation/comments/{comment.id}", data={"action": "reject"})
    page = moderator_client.get("/admin/log").get_data(as_text=True)
    assert f'href="/admin/moderation/comments/{comment.id}"' in page
    assert f'href="/admin/users/{reader.id}"' in page


def test_favicon_ico_redirects_to_the_svg(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.headers["Location"] == "/static/favicon.svg"
    assert client.get("/static/favicon.svg").status_code == 200
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/").get_data(as_text=True)
