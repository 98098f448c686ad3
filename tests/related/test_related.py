"""Related posts: who may appear, freshness after every change, fill-ups, and the API."""

from __future__ import annotations

import pytest

from blog.models import PostTerms, RelatedPost
from blog.services import posts, related
from tests.factories import make_post

SPACE = "<p>Rocket launch orbit satellite astronauts mission space station crew capsule.</p>"
SPACE_2 = "<p>Satellite orbit mission: the crew capsule docked at the space station.</p>"
SPACE_3 = "<p>Astronauts on the space station began a new mission after the rocket launch.</p>"
FOOTBALL = "<p>The striker scored twice as the football club won the league match.</p>"
BAKING = "<p>Flour, butter and sugar: the bakery sells sourdough bread and croissants.</p>"


def slugs(post, limit=10):
    return [item.slug for item in related.related_posts(post, limit=limit)]


def scored_slugs(post):
    return [item.slug for item in related.related_posts(post, limit=10) if item.score is not None]


@pytest.fixture
def space(author):
    return [
        make_post(author, "Rocket launch puts satellite in orbit", body_html=SPACE),
        make_post(author, "Capsule docks at the space station", body_html=SPACE_2),
        make_post(author, "Astronauts start station mission", body_html=SPACE_3),
    ]


def test_similar_posts_come_first_and_never_the_post_itself(author, space):
    football = make_post(author, "Club wins the league", body_html=FOOTBALL)
    first = space[0]
    assert scored_slugs(first) == [space[1].slug, space[2].slug] or \
        scored_slugs(first) == [space[2].slug, space[1].slug]
    assert first.slug not in slugs(first)
    assert football.slug not in scored_slugs(first)
    items = related.related_posts(first)
    assert all(item.reason == "similar" and item.score > 0 for item in items[:2])


def test_drafts_appear_in_no_list(author, space):
    draft = make_post(author, "Rocket capsule orbit draft", body_html=SPACE, status="draft")
    for post in space:
        assert draft.slug not in slugs(post)
    assert space[0].slug in scored_slugs(draft)  # the author's preview has related posts


def test_publishing_a_post_adds_it_to_the_lists_it_belongs_in(author, author_client, space, db):
    draft = make_post(author, "Crew of the orbiting station", status="draft",
                      body_html="<p>The station crew and the astronauts of the mission.</p>")
    response = author_client.patch(f"/api/v1/posts/{draft.slug}", json={"status": "published"})
    assert response.status_code == 200
    db.session.expire_all()
    for post in space:
        assert draft.slug in scored_slugs(post)


def test_editing_a_post_moves_it_between_lists(author, space, db):
    football = make_post(author, "Club wins the league", body_html=FOOTBALL)
    second_club = make_post(author, "Striker scores twice for the club", body_html=FOOTBALL)
    assert space[0].slug not in scored_slugs(football)
    posts.update_post(space[0], author, {"title": "League match report",
                                         "body_html": FOOTBALL})
    db.session.commit()
    assert space[0].slug in scored_slugs(football)
    assert space[0].slug in scored_slugs(second_club)
    assert space[0].slug not in scored_slugs(space[1])
    assert space[1].slug not in scored_slugs(space[0])


def test_unpublishing_removes_the_post_from_every_list_at_once(author, author_client, space, db):
    response = author_client.patch(f"/api/v1/posts/{space[1].slug}", json={"status": "draft"})
    assert response.status_code == 200
    db.session.expire_all()
    for post in (space[0], space[2]):
        assert space[1].slug not in slugs(post)
    assert db.session.query(RelatedPost).filter_by(related_id=space[1].id).count() == 0


def test_deleting_a_post_removes_it_and_its_list(author, space, db):
    gone_id, gone_slug = space[1].id, space[1].slug
    posts.delete_post(space[1], author)
    db.session.commit()
    for post in (space[0], space[2]):
        assert gone_slug not in slugs(post)
        assert slugs(post)  # the list was recomputed, not left empty
    assert db.session.query(RelatedPost).filter(
        (RelatedPost.post_id == gone_id) | (RelatedPost.related_id == gone_id)
    ).count() == 0
    assert db.session.get(PostTerms, gone_id) is None


def test_only_the_author_or_an_admin_deletes_a_post(author, reader, space):
    with pytest.raises(posts.Forbidden):
        posts.delete_post(space[0], reader)


def test_a_post_without_related_posts_is_filled_up_with_same_tag_then_latest(author, monkeypatch):
    monkeypatch.setattr(related.model, "MIN_SCORE", 2.0)  # nothing is related enough
    older_tagged = make_post(author, "Sourdough tips", body_html=BAKING, tags=["Food"],
                             hours_ago=30)
    make_post(author, "Pasta", body_html=BAKING, tags=["Food"], status="draft")
    make_post(author, "Club wins the league", body_html=FOOTBALL, hours_ago=20)
    latest = make_post(author, "Rocket launch", body_html=SPACE, hours_ago=1)
    lonely = make_post(author, "Parliament votes on the budget",
                       body_html="<p>Lawmakers debated taxation reform.</p>", tags=["Food"])
    items = related.related_posts(lonely)
    assert [(item.slug, item.score, item.reason) for item in items[:2]] == [
        (older_tagged.slug, None, "same_tag"), (latest.slug, None, "latest"),
    ]
    assert len(items) == 3  # the three other published posts, never a draft
    assert lonely.slug not in [item.slug for item in items]


def test_the_same_story_republished_is_collapsed(author, space):
    copy = make_post(author, space[1].title + " (updated)", body_html=SPACE_2)
    first_list = scored_slugs(space[0])
    assert (space[1].slug in first_list) != (copy.slug in first_list)
    assert space[1].slug not in scored_slugs(copy)  # the copy does not point to its original


def test_recency_window_leaves_out_old_posts(app, author):
    app.config["RELATED_MAX_AGE_DAYS"] = 7
    old = make_post(author, "Rocket launch puts satellite in orbit", body_html=SPACE,
                    hours_ago=24 * 30)
    recent = make_post(author, "Astronauts start station mission", body_html=SPACE_3)
    related.rebuild()
    assert old.slug not in scored_slugs(recent)


def test_rebuild_command_recomputes_every_list(author, space, runner, db):
    db.session.execute(RelatedPost.__table__.delete())
    db.session.commit()
    assert slugs(space[0]) == []
    result = runner.invoke(args=["related", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Recomputed the related posts of 3 posts." in result.output
    db.session.expire_all()
    assert set(scored_slugs(space[0])) == {space[1].slug, space[2].slug}


def test_related_endpoint_shape_and_limit(client, author, space):
    response = client.get(f"/api/v1/posts/{space[0].slug}/related?limit=1")
    assert response.status_code == 200
    (item,) = response.get_json()["items"]
    assert set(item) == {"slug", "title", "url", "score", "reason"}
    assert item["url"] == f"http://blog.test/posts/{item['slug']}"
    assert item["reason"] == "similar" and item["score"] > 0


def test_post_detail_lists_related_links(client, space):
    response = client.get(f"/api/v1/posts/{space[0].slug}")
    related_links = response.get_json()["related"]
    assert {link["slug"] for link in related_links} == {space[1].slug, space[2].slug}
    assert set(related_links[0]) == {"slug", "title", "url"}


def test_article_page_shows_related_posts(client, space):
    page = client.get(f"/posts/{space[0].slug}").get_data(as_text=True)
    assert "Related posts" in page and space[1].title in page
