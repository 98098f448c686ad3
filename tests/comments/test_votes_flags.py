"""PUT /api/v1/comments/{id}/vote and POST /api/v1/comments/{id}/flags."""

from __future__ import annotations

import pytest

from blog.services import moderation
from tests.comments.factories import assert_problem, fresh, make_comment


def vote_url(comment) -> str:
    return f"/api/v1/comments/{comment.id}/vote"


def flag_url(comment) -> str:
    return f"/api/v1/comments/{comment.id}/flags"


def test_votes_move_the_score_and_can_be_changed_or_withdrawn(other_reader_client, post,
                                                              reader):
    comment = make_comment(post, reader)

    for value, score in [(1, 1), (1, 1), (-1, -1), (0, 0), (-1, -1)]:
        response = other_reader_client.put(vote_url(comment), json={"value": value})
        assert response.status_code == 200
        assert response.get_json() == {"score": score, "my_vote": value}
    assert fresh(comment).score == -1


def test_votes_of_several_readers_add_up(reader_client, other_reader_client, moderator_client,
                                         post, author):
    comment = make_comment(post, author)
    reader_client.put(vote_url(comment), json={"value": 1})
    other_reader_client.put(vote_url(comment), json={"value": 1})
    response = moderator_client.put(vote_url(comment), json={"value": -1})
    assert response.get_json() == {"score": 1, "my_vote": -1}


def test_vote_on_own_comment_is_403(reader_client, post, reader):
    comment = make_comment(post, reader)
    assert_problem(reader_client.put(vote_url(comment), json={"value": 1}), 403)


def test_vote_needs_sign_in(client, post, reader):
    comment = make_comment(post, reader)
    assert_problem(client.put(vote_url(comment), json={"value": 1}), 401)


def test_vote_on_hidden_comment_is_404(other_reader_client, post, reader):
    comment = make_comment(post, reader, status="pending")
    assert_problem(other_reader_client.put(vote_url(comment), json={"value": 1}), 404)


def test_moderator_vote_on_a_held_comment_is_409(moderator_client, post, reader):
    comment = make_comment(post, reader, status="pending")
    assert_problem(moderator_client.put(vote_url(comment), json={"value": 1}), 409)


@pytest.mark.parametrize("payload", [{}, {"value": 2}, {"value": "1"}, {"value": 1.5}])
def test_bad_vote_is_422(other_reader_client, post, reader, payload):
    comment = make_comment(post, reader)
    assert_problem(other_reader_client.put(vote_url(comment), json=payload), 422)


def test_flag_is_recorded_once_per_reader(other_reader_client, post, reader, monkeypatch):
    comment = make_comment(post, reader)
    calls = []
    monkeypatch.setattr(moderation, "flag_recorded", lambda c: calls.append(c.flag_count))

    first = other_reader_client.post(flag_url(comment), json={"reason": "abuse", "note": "rude"})
    second = other_reader_client.post(flag_url(comment), json={"reason": "spam"})

    assert first.status_code == second.status_code == 201
    assert first.get_json()["reason"] == second.get_json()["reason"] == "abuse"
    assert fresh(comment).flag_count == 1
    assert calls == [1]


def test_flags_of_two_readers_both_count(reader_client, other_reader_client, post, author):
    comment = make_comment(post, author)
    reader_client.post(flag_url(comment), json={"reason": "spam"})
    other_reader_client.post(flag_url(comment), json={"reason": "off_topic"})
    assert fresh(comment).flag_count == 2


def test_flag_on_own_comment_records_nothing(reader_client, post, reader):
    comment = make_comment(post, reader)
    assert reader_client.post(flag_url(comment), json={"reason": "other"}).status_code == 201
    assert fresh(comment).flag_count == 0


def test_flag_refusals(client, other_reader_client, post, reader):
    comment = make_comment(post, reader)
    held = make_comment(post, reader, status="pending")

    assert_problem(client.post(flag_url(comment), json={"reason": "spam"}), 401)
    assert_problem(other_reader_client.post(flag_url(held), json={"reason": "spam"}), 404)
    assert_problem(other_reader_client.post(flag_url(comment), json={"reason": "boring"}), 422)
    assert_problem(other_reader_client.post(flag_url(comment), json={}), 422)
