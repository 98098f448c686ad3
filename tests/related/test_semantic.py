"""The optional semantic component (RELATED_SEMANTIC, requirements-semantic.txt): posts about the
same thing in different words become related; the model is read from the installed package."""

from __future__ import annotations

import socket

import pytest

from blog import create_app
from blog.services import related_semantic
from config import TestingConfig
from tests.factories import make_post

pytestmark = pytest.mark.skipif(not related_semantic.available(),
                                reason="WordLlama is not installed (requirements-semantic.txt)")

#: The two football stories share no word; the other stories are about other things.
FOOTBALL = ("Striker scores twice", "<p>The club won the league match at the stadium.</p>")
SAME_TOPIC = ("Goalkeeper saves a penalty", "<p>Supporters cheered as the keeper kept a clean "
                                            "sheet in the cup final.</p>")
OTHERS = [
    ("Budget vote in parliament", "<p>Lawmakers debated taxation reform.</p>"),
    ("Sourdough at the bakery", "<p>Flour, butter and sugar for croissants.</p>"),
    ("Storm floods the coast", "<p>Heavy rain and wind closed harbours.</p>"),
]


def publish_site(author):
    football = make_post(author, FOOTBALL[0], body_html=FOOTBALL[1], summary="")
    same_topic = make_post(author, SAME_TOPIC[0], body_html=SAME_TOPIC[1], summary="")
    for title, body in OTHERS:  # published last: the latest posts, first among fill-ups
        make_post(author, title, body_html=body, summary="")
    return football, same_topic


def first_related(client, post):
    response = client.get(f"/api/v1/posts/{post.slug}/related?limit=5")
    assert response.status_code == 200
    item = response.get_json()["items"][0]
    return item["slug"], item["reason"]


def test_posts_on_one_topic_in_other_words_are_related(app, client, author):
    app.config["RELATED_SEMANTIC"] = True
    football, same_topic = publish_site(author)

    assert first_related(client, football) == (same_topic.slug, "similar")
    assert first_related(client, same_topic) == (football.slug, "similar")


def test_without_the_component_they_share_no_word(app, client, author):
    football, same_topic = publish_site(author)

    assert first_related(client, football) != (same_topic.slug, "similar")


def test_turning_it_on_takes_effect_at_the_rebuild(app, client, runner, author):
    football, same_topic = publish_site(author)  # stored without embeddings
    app.config["RELATED_SEMANTIC"] = True
    make_post(author, "Orchestra plays Mahler", body_html="<p>The symphony sold out.</p>",
              summary="")  # embedded, but the older posts are not: no semantic score yet
    assert first_related(client, football) != (same_topic.slug, "similar")

    result = runner.invoke(args=["related", "rebuild"])

    assert result.exit_code == 0, result.output
    assert first_related(client, football) == (same_topic.slug, "similar")


def test_the_model_is_read_from_the_package_without_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the semantic component opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    related_semantic._model.cache_clear()
    vectors = related_semantic.embed(["Central bank raises interest rates",
                                      "The Fed tightens monetary policy",
                                      "Striker scores in the cup final"])

    assert vectors.shape == (3, related_semantic.DIMENSIONS)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_a_text_without_words_gets_a_zero_vector_not_nan():
    vectors = related_semantic.embed(["", "Harbour wall"])

    assert not vectors[0].any()
    assert abs(float(vectors[1] @ vectors[1]) - 1.0) < 1e-5


def test_the_app_refuses_to_start_without_the_package(monkeypatch, tmp_path):
    class Config(TestingConfig):
        RELATED_SEMANTIC = True
        INSTANCE_PATH = str(tmp_path)

    monkeypatch.setattr(related_semantic, "available", lambda: False)

    with pytest.raises(RuntimeError, match="requirements-semantic.txt"):
        create_app(Config)
