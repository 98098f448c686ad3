"""Every published post gets `limit` related posts whenever that many other published posts exist.

On a small site most posts share few words: their lists are filled up (same tag, then latest),
and a near-duplicate collapsed out of the scored part may still come as a fill-up.
"""

from __future__ import annotations

import pytest

from blog.services import related
from tests.factories import make_post

TOPICS = [
    ("Rocket reaches orbit", "<p>The rocket carried a satellite into orbit.</p>"),
    ("Striker scores twice", "<p>The football club won the league match.</p>"),
    ("Sourdough at the bakery", "<p>Flour, butter and sugar for croissants.</p>"),
    ("Budget vote in parliament", "<p>Lawmakers debated taxation reform.</p>"),
    ("Storm floods the coast", "<p>Heavy rain and wind closed harbours.</p>"),
    ("Orchestra plays Mahler", "<p>The symphony concert sold out its tickets.</p>"),
]


def related_slugs(client, slug, limit):
    response = client.get(f"/api/v1/posts/{slug}/related?limit={limit}")
    assert response.status_code == 200
    return [item["slug"] for item in response.get_json()["items"]]


@pytest.mark.parametrize("limit", [5, 10])
def test_every_post_of_a_small_site_gets_a_full_list(client, author, limit):
    site = [make_post(author, title, body_html=body) for title, body in TOPICS]
    for post in site:
        items = related_slugs(client, post.slug, limit)
        assert len(items) == min(limit, len(site) - 1)
        assert post.slug not in items and len(set(items)) == len(items)


def test_a_list_grows_as_posts_are_published(client, author):
    site = [make_post(author, title, body_html=body) for title, body in TOPICS[:3]]
    assert len(related_slugs(client, site[0].slug, 5)) == 2
    site += [make_post(author, title, body_html=body) for title, body in TOPICS[3:]]
    assert len(related_slugs(client, site[0].slug, 5)) == 5
    assert set(related_slugs(client, site[0].slug, 10)) == {post.slug for post in site[1:]}


@pytest.mark.parametrize("limit", [5, 10])
def test_near_duplicates_do_not_shorten_the_lists(client, author, limit):
    story = "<p>Rocket launch orbit satellite astronauts mission space station crew capsule.</p>"
    copies = [make_post(author, f"Rocket launch, update {n}", body_html=story) for n in range(4)]
    others = [make_post(author, title, body_html=body) for title, body in TOPICS[1:5]]
    site = copies + others
    for post in site:
        assert len(related_slugs(client, post.slug, limit)) == min(limit, len(site) - 1)


def test_fill_ups_say_why_they_are_there(client, author, monkeypatch):
    monkeypatch.setattr(related.model, "MIN_SCORE", 2.0)  # nothing is related enough
    tagged = [make_post(author, title, body_html=body, tags=["Local"])
              for title, body in TOPICS[:2]]
    make_post(author, TOPICS[2][0], body_html=TOPICS[2][1])
    response = client.get(f"/api/v1/posts/{tagged[0].slug}/related?limit=5")
    reasons = [(item["slug"], item["reason"]) for item in response.get_json()["items"]]
    assert reasons[0] == (tagged[1].slug, "same_tag")
    assert reasons[1][1] == "latest" and len(reasons) == 2
