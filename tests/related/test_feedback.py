"""Pseudo-relevance feedback in related posts, and the one-query related endpoint."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import event

from blog.models import PostTerms, RelatedPost
from blog.services import posts, related
from blog.services import related_model as model
from tests.factories import make_post

SPACE = [
    ("Rocket launch puts satellite in orbit",
     "<p>Rocket launch orbit satellite astronauts mission space station crew capsule.</p>"),
    ("Capsule docks at the space station",
     "<p>Satellite orbit mission: the crew capsule docked at the space station.</p>"),
    ("Astronauts start station mission",
     "<p>Astronauts on the space station began a new mission after the rocket launch.</p>"),
    ("Crew returns from orbit",
     "<p>The capsule crew returned from orbit after the station mission and rocket launch.</p>"),
]
FOOTBALL = "<p>The striker scored twice as the football club won the league match.</p>"


def feedback_of(db, post) -> list[int]:
    terms = db.session.get(PostTerms, post.id)
    db.session.refresh(terms)
    return np.frombuffer(terms.feedback_ids, dtype="<i8").tolist()


def listed(post) -> list[str]:
    """The related posts of `post` that were scored (not fill-ups)."""
    return [item.slug for item in related.related_posts(post, limit=10) if item.score is not None]


@pytest.fixture(autouse=True)
def feedback_on_a_small_site(monkeypatch):
    """The mechanism, on sites small enough to read: every post gets up to 30 neighbours
    (by default a site under FEEDBACK_MIN_POSTS posts gets none; see the last tests)."""
    monkeypatch.setattr(model, "FEEDBACK_MIN_POSTS", 0)
    monkeypatch.setattr(model, "POSTS_PER_NEIGHBOUR", 1)


@pytest.fixture
def space(author):
    return [make_post(author, title, body_html=body) for title, body in SPACE]


def test_feedback_never_takes_the_post_itself_or_drafts(author, space, db, monkeypatch):
    monkeypatch.setattr(model, "FEEDBACK_WEIGHT", 8.0)  # feedback dominates the score
    draft = make_post(author, "Rocket capsule orbit draft", body_html=SPACE[0][1],
                      status="draft")
    related.rebuild()
    db.session.commit()
    for post in space:
        assert post.id not in feedback_of(db, post)
        assert draft.id not in feedback_of(db, post)
        assert post.slug not in listed(post)
        assert draft.slug not in listed(post)
    assert set(feedback_of(db, space[0])) == {p.id for p in space[1:]}


def test_a_published_post_gets_feedback_from_its_related_posts_only(author, space, db):
    football = make_post(author, "Club wins the league", body_html=FOOTBALL)
    new = make_post(author, "Station crew news", body_html=SPACE[1][1])
    assert set(feedback_of(db, new)) == {p.id for p in space}
    assert feedback_of(db, football) == []  # nothing related: it borrows no words
    assert set(listed(new)) >= {p.slug for p in space}


def test_an_edited_post_leaves_the_feedback_of_posts_it_no_longer_resembles(author, space, db):
    assert space[0].id in feedback_of(db, space[1])
    posts.update_post(space[0], author, {"title": "League match report", "body_html": FOOTBALL})
    db.session.commit()
    assert space[0].id not in feedback_of(db, space[1])
    assert space[0].slug not in listed(space[1])


def test_an_unpublished_neighbour_stops_shaping_lists(author, author_client, space, db):
    related.rebuild()  # older posts take newer ones as feedback at the rebuild
    db.session.commit()
    assert space[1].id in feedback_of(db, space[0])
    response = author_client.patch(f"/api/v1/posts/{space[1].slug}", json={"status": "draft"})
    assert response.status_code == 200
    db.session.expire_all()
    corpus = related._load_corpus()
    row = corpus.row_of[space[0].id]
    model.expand(corpus, corpus.feedback)
    assert space[1].id not in corpus.row_of  # a draft is not even in the corpus of lists
    assert corpus.mix[row].nnz == len(space) - 2  # the other published neighbours only


def test_feedback_relates_stories_through_their_neighbours():
    """Two posts without a shared word become related when their neighbours share theirs."""
    vocabulary = {word: number for number, word in enumerate(
        ["rocket", "orbit", "launch", "station", "crew", "capsule"])}

    def post(post_id, words):
        ids = np.array([vocabulary[w] for w in words], dtype=np.int64)
        return model.PostText(post_id=post_id, term_ids=ids, counts=np.ones(len(ids), np.float32))

    corpus = model.build_corpus([
        post(1, ["rocket", "orbit"]), post(2, ["station", "crew"]),
        post(3, ["rocket", "orbit", "station", "crew"]),
        post(4, ["rocket", "orbit", "station", "crew", "capsule"]),
    ])
    plain = model.scores(corpus, np.array([0]))[0]
    assert plain[1] == pytest.approx(0.0)
    model.expand(corpus, model.feedback_neighbours(corpus, np.arange(4)))
    expanded = model.scores(corpus, np.array([0]))[0]
    assert expanded[1] > model.MIN_SCORE
    # The linear form equals the cosine of the materialized expanded vectors.
    grown = model._expanded(corpus, np.arange(4)).toarray()
    grown /= np.linalg.norm(grown, axis=1, keepdims=True)
    assert expanded == pytest.approx(grown[0] @ grown.T, abs=1e-5)


def test_related_endpoint_answers_with_one_statement(app, client, space, db):
    statements = []
    slug = space[0].slug

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(f"/api/v1/posts/{slug}/related")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200 and len(response.get_json()["items"]) == 3
    assert len(statements) <= 2, "\n".join(s[:90] for s in statements)


@pytest.mark.parametrize(("who", "status"), [("anonymous", 404), ("author", 200),
                                             ("other_reader", 404), ("admin", 200)])
def test_related_of_a_draft_only_for_its_author_and_admins(
        request, author, space, who, status):
    draft = make_post(author, "Rocket capsule orbit draft", body_html=SPACE[0][1],
                      status="draft")
    client = request.getfixturevalue("client" if who == "anonymous" else f"{who}_client")
    response = client.get(f"/api/v1/posts/{draft.slug}/related")
    assert response.status_code == status
    if status == 200:
        assert {item["slug"] for item in response.get_json()["items"]} >= {
            p.slug for p in space[:3]}


def test_related_of_an_unknown_post_is_404(client):
    assert client.get("/api/v1/posts/no-such-post/related").status_code == 404


def test_a_stale_entry_to_a_draft_is_skipped_not_a_404(author, client, space, db):
    """Lists are fixed on unpublish; should an entry to a draft remain, it is never shown."""
    db.session.execute(RelatedPost.__table__.update()
                       .where(RelatedPost.post_id == space[0].id)
                       .values(related_id=space[1].id))  # every entry now names space[1]
    space[1].status = "draft"
    db.session.commit()
    response = client.get(f"/api/v1/posts/{space[0].slug}/related?limit=10")
    assert response.status_code == 200
    assert response.get_json()["items"] == []


def test_a_small_site_gets_no_feedback_and_a_larger_one_grows_into_it(monkeypatch):
    monkeypatch.undo()
    assert [model.feedback_size(n) for n in (5, 50, 99, 100, 200, 1000, 1050, 10_000)] == [
        0, 0, 0, 2, 5, 28, 30, 30]


def test_on_a_small_site_a_post_borrows_no_words(author, space, db, monkeypatch):
    monkeypatch.undo()  # the defaults: under 100 posts, no feedback
    related.rebuild()
    db.session.commit()
    assert all(feedback_of(db, post) == [] for post in space)
    assert set(listed(space[0])) == {post.slug for post in space[1:]}
