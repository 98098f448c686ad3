"""What readers do on the article page, through its forms: the same rules as the API."""

from __future__ import annotations

from blog.models import FollowType
from blog.services import follows
from tests.comments.factories import fresh, make_comment


def form(client, path, **fields):
    return client.post(path, data={"csrf_token": client.csrf_token(), **fields}, csrf=False)


def article(client, post) -> str:
    return client.get(f"/posts/{post.slug}").get_data(as_text=True)


def test_vote_up_then_take_it_back(reader_client, post, other_reader):
    comment = make_comment(post, other_reader)

    assert form(reader_client, f"/comments/{comment.id}/vote", value="1").status_code == 303
    assert fresh(comment).score == 1
    assert 'aria-pressed="true" aria-label="Vote up"' in article(reader_client, post)
    form(reader_client, f"/comments/{comment.id}/vote", value="0")
    assert fresh(comment).score == 0


def test_voting_on_ones_own_comment_is_refused_with_the_reason(reader_client, post, reader):
    comment = make_comment(post, reader)

    response = form(reader_client, f"/comments/{comment.id}/vote", value="1")

    assert response.status_code == 303
    assert fresh(comment).score == 0
    assert "own comment" in article(reader_client, post)


def test_report_with_a_reason_reaches_the_moderators(reader_client, post, other_reader):
    comment = make_comment(post, other_reader)

    no_reason = form(reader_client, f"/comments/{comment.id}/flag")
    assert "Choose why you are reporting this comment." in article(reader_client, post)
    assert no_reason.status_code == 303 and fresh(comment).flag_count == 0

    form(reader_client, f"/comments/{comment.id}/flag", reason="abuse", note="Insults")
    assert fresh(comment).flag_count == 1
    assert "the moderators will look at this comment" in article(reader_client, post)


def test_edit_shows_the_time_left_and_saves(reader_client, post, reader):
    comment = make_comment(post, reader, "Frist")

    assert "minutes left" in article(reader_client, post)
    page = reader_client.get(f"/comments/{comment.id}/edit").get_data(as_text=True)
    assert "Frist</textarea>" in page
    assert form(reader_client, f"/comments/{comment.id}/edit", body="First").status_code == 303
    assert "First" in fresh(comment).body_html


def test_edit_after_the_window_is_refused(reader_client, post, reader):
    comment = make_comment(post, reader, "Old words", minutes_ago=60)

    assert "Edit" not in article(reader_client, post).split(f'id="comment-{comment.id}"')[1][:800]
    response = form(reader_client, f"/comments/{comment.id}/edit", body="New words")
    assert response.status_code == 403
    assert "New words</textarea>" in response.get_data(as_text=True)
    assert "Old words" in fresh(comment).body_html


def test_delete_after_confirmation(reader_client, post, reader):
    comment = make_comment(post, reader, "Regrettable")
    assert "Yes, delete it" in article(reader_client, post)

    assert form(reader_client, f"/comments/{comment.id}/delete").status_code == 303
    assert "Regrettable" not in article(reader_client, post)


def test_follow_the_thread_at_a_level_and_stop(reader_client, post, reader):
    form(reader_client, f"/follows/posts/{post.slug}", level="all")
    assert follows.find_follow(reader, FollowType.POST, post.id).level == "all"
    assert '<option value="all" selected>' in article(reader_client, post)

    form(reader_client, f"/follows/posts/{post.slug}", level="none")
    assert follows.find_follow(reader, FollowType.POST, post.id) is None


def test_unticking_notify_me_of_replies_follows_nothing(reader_client, post, reader):
    form(reader_client, f"/posts/{post.slug}/comments", body="Quietly", notify_shown="1")
    assert follows.find_follow(reader, FollowType.POST, post.id) is None

    form(reader_client, f"/posts/{post.slug}/comments", body="Loudly", notify_shown="1",
         notify="yes")
    assert follows.find_follow(reader, FollowType.POST, post.id).level == "replies"


def test_follow_the_author_and_a_tag(reader_client, post, reader, author):
    assert f"Follow {author.display_name}" in article(reader_client, post)
    form(reader_client, f"/follows/authors/{author.id}")
    assert follows.find_follow(reader, FollowType.AUTHOR, author.id) is not None
    assert f"Following {author.display_name}" in article(reader_client, post)

    tag = post.tags[0] if post.tags else None
    if tag is not None:
        form(reader_client, f"/follows/tags/{tag.slug}")
        assert follows.find_follow(reader, FollowType.TAG, tag.id) is not None


def test_badges_for_the_posts_author_and_staff(client, post, author, moderator, reader):
    make_comment(post, author, "Writer here")
    make_comment(post, moderator, "Please keep it civil")
    make_comment(post, reader, "Just a reader")

    html = article(client, post)
    assert html.count('class="badge badge-author"') == 1
    assert html.count('class="badge badge-staff"') == 1


def test_long_reply_lists_fold(client, post, reader, other_reader):
    top = make_comment(post, reader, "Top")
    for n in range(5):
        make_comment(post, other_reader, f"Reply {n}", parent=top)

    html = article(client, post)
    assert "Show 2 more replies" in html
    assert "Reply 4" in html  # folded, not dropped: it opens without JavaScript


def test_visitors_subscribe_from_the_page_and_see_feeds(client, post):
    html = article(client, post)
    assert 'action="/subscribe"' in html and "(Atom)</a>" in html

    bad = client.post("/subscribe", data={"email": "not an address"})
    assert bad.status_code == 422
    assert "Enter an email address" in bad.get_data(as_text=True)
    good = client.post("/subscribe", data={"email": "visitor@example.com"})
    assert good.status_code == 200 and "Check your inbox" in good.get_data(as_text=True)


def test_front_page_pages_both_ways(client, author):
    from tests.factories import make_post

    for n in range(23):
        make_post(author, f"Story number {n}")

    first = client.get("/").get_data(as_text=True)
    assert 'rel="next"' in first and 'rel="prev"' not in first
    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    assert 'rel="prev" href="/"' in second and 'rel="next"' in second
    third_url = second.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    third = client.get(third_url).get_data(as_text=True)
    back = third.split('rel="prev" href="')[1].split('"')[0].replace("&amp;", "&")
    assert back == older
