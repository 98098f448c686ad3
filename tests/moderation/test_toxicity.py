"""The offline toxicity score: stored on every new and edited comment, a signal of the
pipeline with a hold and a spam threshold, shown in the queue and sortable there."""

from __future__ import annotations

import profanity_check
import pytest

from blog.extensions import db
from blog.models import Comment, CommentStatus
from blog.services import moderation, toxicity
from tests.factories import make_user
from tests.moderation.factories import make_comment

TOXIC = "You are a stupid idiot, shut up"
CIVIL = "The new timetable adds two ferries an hour at the morning peak."

#: Texts of every kind the scorer meets: plain, rude, empty, shouted, accented, long, markup.
CORPUS = [
    TOXIC, CIVIL, "", "   ", "fuck this", "STUPID STUPID stupid people",
    "Café crème, s'il vous plaît",
    "The council voted 7 to 2 on the sea wall. " * 40, "<b>bold</b> and *stars* and http://x.y/z",
    "idiot", "I disagree with the columnist, but this is a fair summary of the budget.",
    "Go back to where you came from", "what a load of crap", "Thanks! 👍🏽 Great reporting.",
]


def comment_id(response) -> int:
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


def stored(comment_id: int) -> Comment:
    db.session.expire_all()
    return db.session.get(Comment, comment_id)


@pytest.fixture
def regular(app, post):
    """A reader past the new-account rule, not yet trusted."""
    user = make_user(display_name="Regular Reader")
    for _ in range(2):
        make_comment(post, user)
    return user


@pytest.fixture
def regular_client(app, regular):
    from tests.conftest import signed_in_client

    return signed_in_client(app, regular)


def test_the_score_is_the_packages_own_probability():
    expected = profanity_check.predict_prob(CORPUS)
    assert [toxicity.score(text) for text in CORPUS] == pytest.approx(list(expected), abs=1e-9)
    assert toxicity.score(TOXIC) > 0.9 > 0.1 > toxicity.score(CIVIL)


def test_a_toxic_comment_is_held_with_the_signal_and_its_score(post, regular_client,
                                                              moderator_client):
    held = comment_id(regular_client.post(f"/api/v1/posts/{post.slug}/comments",
                                          json={"body": TOXIC}))
    civil = comment_id(regular_client.post(f"/api/v1/posts/{post.slug}/comments",
                                           json={"body": CIVIL}))

    assert (stored(held).status, stored(held).signals) == ("pending", ["toxicity"])
    assert stored(held).toxicity == pytest.approx(toxicity.score(TOXIC))
    assert stored(civil).status == "approved" and stored(civil).toxicity < 0.1
    [item] = moderator_client.get("/api/v1/moderation/queue").get_json()["items"]
    assert item["id"] == held and item["signals"] == ["toxicity"]
    assert item["toxicity"] == pytest.approx(toxicity.score(TOXIC))


def test_trust_does_not_let_a_toxic_text_through(post, reader, reader_client):
    for _ in range(5):
        make_comment(post, reader)

    held = comment_id(reader_client.post(f"/api/v1/posts/{post.slug}/comments",
                                         json={"body": TOXIC}))

    assert stored(held).status == "pending"
    assert set(stored(held).signals) == {"toxicity", "trusted"}


def test_the_spam_threshold_marks_it_spam(app, post, regular_client):
    app.config["MODERATION_TOXICITY_SPAM"] = 0.99

    very = comment_id(regular_client.post(f"/api/v1/posts/{post.slug}/comments",
                                          json={"body": "fuck you, idiot"}))

    assert stored(very).status == CommentStatus.SPAM.value
    assert "toxicity" in stored(very).signals


def test_a_hold_threshold_of_zero_scores_but_holds_nothing(app, post, regular_client):
    app.config["MODERATION_TOXICITY_HOLD"] = 0

    posted = comment_id(regular_client.post(f"/api/v1/posts/{post.slug}/comments",
                                            json={"body": TOXIC}))

    assert stored(posted).status == "approved" and stored(posted).toxicity > 0.9


def test_an_edit_is_scored_again(post, regular_client):
    posted = comment_id(regular_client.post(f"/api/v1/posts/{post.slug}/comments",
                                            json={"body": CIVIL}))

    response = regular_client.patch(f"/api/v1/comments/{posted}", json={"body": TOXIC})

    assert response.status_code == 200
    assert stored(posted).status == "pending" and "toxicity" in stored(posted).signals
    assert stored(posted).toxicity > 0.9


def test_the_queue_sorts_by_score_highest_first_across_pages(post, reader, moderator_client):
    texts = [CIVIL, TOXIC, "what a load of crap", "idiot", "A fair point."]
    for text in texts:
        comment = make_comment(post, reader, text, status=CommentStatus.PENDING)
        comment.toxicity = toxicity.score(text)
    unscored = make_comment(post, reader, "Imported long ago", status=CommentStatus.PENDING)
    db.session.commit()

    first = moderator_client.get("/api/v1/moderation/queue?sort=toxicity&limit=4").get_json()
    rest = moderator_client.get(
        f"/api/v1/moderation/queue?sort=toxicity&limit=4&cursor={first['next_cursor']}").get_json()

    order = [item["body"] for item in first["items"] + rest["items"]]
    assert order == sorted(texts, key=toxicity.score, reverse=True) + ["Imported long ago"]
    assert rest["items"][-1]["id"] == unscored.id and rest["items"][-1]["toxicity"] is None
    oldest = moderator_client.get("/api/v1/moderation/queue").get_json()["items"]
    assert [item["body"] for item in oldest][:5] == texts


def test_an_unknown_sort_is_a_clear_error(moderator_client):
    response = moderator_client.get("/api/v1/moderation/queue?sort=loudest")

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_the_queue_page_shows_scores_and_sorts_by_them(post, reader, moderator_client):
    for text in (CIVIL, TOXIC):
        comment = make_comment(post, reader, text, status=CommentStatus.PENDING)
        comment.toxicity = toxicity.score(text)
    db.session.commit()

    oldest = moderator_client.get("/admin/moderation").get_data(as_text=True)
    by_score = moderator_client.get("/admin/moderation?sort=toxicity").get_data(as_text=True)

    assert oldest.index(CIVIL) < oldest.index("You are a stupid idiot")
    assert by_score.index("You are a stupid idiot") < by_score.index(CIVIL)
    assert f"Toxicity score {toxicity.score(TOXIC):.2f}" in by_score
    assert 'class="toxicity toxicity-high"' in by_score
    assert 'aria-current="true">Highest toxicity score first' in by_score
    assert 'name="sort" value="toxicity"' in by_score  # the filter form keeps the order


# --- The nudge ------------------------------------------------------------------------------

def comments_of(post) -> list[Comment]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Comment).where(Comment.post_id == post.id,
                                                            Comment.body == TOXIC)))


def test_the_nudge_asks_once_then_sends_the_same_text_to_the_queue(app, post, regular_client):
    app.config["MODERATION_TOXICITY_NUDGE"] = True
    url = f"/api/v1/posts/{post.slug}/comments"

    nudged = regular_client.post(url, json={"body": TOXIC})
    assert nudged.status_code == 422 and nudged.mimetype == "application/problem+json"
    problem = nudged.get_json()
    assert problem["errors"]["body"] == [moderation.NUDGE_MESSAGE]
    assert comments_of(post) == []  # nothing written

    again = regular_client.post(url, json={"body": TOXIC, "nudge_token": problem["nudge_token"]})

    assert again.status_code == 201 and again.get_json()["status"] == "pending"
    [held] = comments_of(post)
    assert "toxicity" in held.signals


def test_a_rephrased_comment_is_scored_afresh(app, post, regular_client):
    app.config["MODERATION_TOXICITY_NUDGE"] = True
    url = f"/api/v1/posts/{post.slug}/comments"
    token = regular_client.post(url, json={"body": TOXIC}).get_json()["nudge_token"]

    kinder = regular_client.post(url, json={"body": CIVIL, "nudge_token": token})
    other_insult = regular_client.post(url, json={"body": "idiot idiot idiot",
                                                  "nudge_token": token})

    assert kinder.status_code == 201 and kinder.get_json()["status"] == "approved"
    assert other_insult.status_code == 422  # the token was for another text


def test_a_token_is_good_only_for_its_author(app, post, regular_client, other_reader,
                                             other_reader_client):
    app.config["MODERATION_TOXICITY_NUDGE"] = True
    url = f"/api/v1/posts/{post.slug}/comments"
    token = regular_client.post(url, json={"body": TOXIC}).get_json()["nudge_token"]

    theirs = other_reader_client.post(url, json={"body": TOXIC, "nudge_token": token})
    forged = regular_client.post(url, json={"body": TOXIC, "nudge_token": token + "x"})

    assert theirs.status_code == 422 and forged.status_code == 422
    assert comments_of(post) == []


def test_without_the_nudge_a_toxic_comment_goes_straight_to_the_queue(post, regular_client):
    response = regular_client.post(f"/api/v1/posts/{post.slug}/comments", json={"body": TOXIC})

    assert response.status_code == 201 and response.get_json()["status"] == "pending"


def test_the_page_form_nudges_keeps_the_text_and_sends_it_on(app, post, regular_client):
    app.config["MODERATION_TOXICITY_NUDGE"] = True
    form = {"body": TOXIC, "csrf_token": regular_client.csrf_token()}

    nudged = regular_client.post(f"/posts/{post.slug}/comments", data=form)

    page = nudged.get_data(as_text=True)
    assert nudged.status_code == 422
    assert "may come across as hostile" in page and f">{TOXIC}</textarea>" in page
    token = page.split('name="nudge_token" value="')[1].split('"')[0]
    sent = regular_client.post(f"/posts/{post.slug}/comments",
                               data={**form, "nudge_token": token})
    assert sent.status_code == 303
    [held] = comments_of(post)
    assert held.status == "pending"
