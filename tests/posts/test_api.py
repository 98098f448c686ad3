"""The posts API: list, detail, create and change, with the role checks."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import html5lib
import pytest

from blog.extensions import db
from blog.models import Post
from blog.services.sanitize import clean_post_html
from tests.factories import make_post, make_user
from tests.helpers import assert_problem

LIST_FIELDS = {"slug", "title", "summary", "author", "tags", "published_at", "comment_count",
               "url"}


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["slug"] for item in response.get_json()["items"]]


def all_pages(client, query: str = "", limit: int = 2) -> list[str]:
    seen, cursor = [], None
    while True:
        url = f"/api/v1/posts?limit={limit}{query}" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).get_json()
        seen += [item["slug"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen


# --- list -----------------------------------------------------------------------------------


def test_list_shape_is_the_contract(client, author):
    make_post(author, "Floods in the valley", tags=["Climate", "Middle East"],
              summary="Rivers rose overnight.")

    body = client.get("/api/v1/posts").get_json()

    assert set(body) == {"items", "next_cursor"}
    assert body["next_cursor"] is None
    [item] = body["items"]
    assert set(item) >= LIST_FIELDS
    assert "body_html" not in item
    assert item["slug"] == "floods-in-the-valley"
    assert item["title"] == "Floods in the valley"
    assert item["summary"] == "Rivers rose overnight."
    assert item["author"] == {"id": author.id, "display_name": "Ada Author"}
    assert item["tags"] == [{"slug": "climate", "name": "Climate"},
                            {"slug": "middle-east", "name": "Middle East"}]
    assert item["published_at"].endswith("+00:00")
    assert item["comment_count"] == 0
    assert item["url"] == "http://blog.test/posts/floods-in-the-valley"


def test_list_is_newest_first_and_only_published(client, author):
    make_post(author, "Oldest", hours_ago=30)
    make_post(author, "Newest", hours_ago=1)
    make_post(author, "Middle", hours_ago=10)
    make_post(author, "Unfinished draft", status="draft")

    assert slugs(client.get("/api/v1/posts")) == ["newest", "middle", "oldest"]


def test_list_filters_by_tag_and_author(client, author):
    other = make_user(role="author")
    make_post(author, "Rain", tags=["Climate"])
    make_post(other, "Drought", tags=["Climate", "Science"])
    make_post(author, "Elections", tags=["Politics"])

    assert sorted(slugs(client.get("/api/v1/posts?tag=climate"))) == ["drought", "rain"]
    assert slugs(client.get("/api/v1/posts?tag=science")) == ["drought"]
    assert slugs(client.get("/api/v1/posts?tag=no-such-tag")) == []
    assert sorted(slugs(client.get(f"/api/v1/posts?author={author.id}"))) == [
        "elections", "rain"]
    assert slugs(client.get(f"/api/v1/posts?author={other.id}&tag=climate")) == ["drought"]


def test_pagination_walks_every_post_once(client, author):
    for number in range(7):
        make_post(author, f"Story {number}", hours_ago=number)

    assert all_pages(client) == [f"story-{n}" for n in range(7)]


def test_pagination_is_stable_when_a_post_is_published_between_pages(client, author):
    for number in range(5):
        make_post(author, f"Story {number}", hours_ago=number + 1)
    first = client.get("/api/v1/posts?limit=2").get_json()

    make_post(author, "Breaking news")
    second = client.get(f"/api/v1/posts?limit=2&cursor={first['next_cursor']}").get_json()
    third = client.get(f"/api/v1/posts?limit=2&cursor={second['next_cursor']}").get_json()

    served = [item["slug"] for page in (first, second, third) for item in page["items"]]
    assert served == [f"story-{n}" for n in range(5)]
    assert third["next_cursor"] is None


def test_pagination_breaks_ties_in_publication_time(client, author):
    made = [make_post(author, f"Same time {n}") for n in range(5)]
    moment = made[0].published_at
    for post in made:
        post.published_at = moment
    db.session.commit()

    served = all_pages(client)
    assert sorted(served) == sorted(post.slug for post in made)
    assert len(served) == 5


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=-1", "limit=many"])
def test_limit_out_of_bounds_is_refused(client, query):
    assert_problem(client.get(f"/api/v1/posts?{query}"), 422, errors_for="limit")


@pytest.mark.parametrize("author", ["0", "99999999999", "9" * 30, "someone"])
def test_an_impossible_author_filter_is_refused(client, author):
    assert_problem(client.get(f"/api/v1/posts?author={author}"), 422, errors_for="author")


@pytest.mark.parametrize("limit", [1, 100])
def test_limit_bounds_are_accepted(client, author, limit):
    make_post(author)

    assert len(slugs(client.get(f"/api/v1/posts?limit={limit}"))) == 1


def _cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "not a cursor",
    "%%%",
    _cursor([]),
    _cursor({"a": 1}),
    _cursor(["2024-01-01T00:00:00+00:00"]),
    _cursor(["yesterday", 3]),
    _cursor([1, 3]),
    _cursor(["2024-01-01T00:00:00", 3]),
    _cursor(["2024-01-01T00:00:00+00:00", "three"]),
    _cursor(["2024-01-01T00:00:00+00:00", None]),
    _cursor(["2024-01-01T00:00:00+00:00", 2**70]),
    _cursor(["2024-01-01T00:00:00+00:00", True]),
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),
])
def test_a_bad_cursor_is_refused(client, author, cursor):
    make_post(author)

    assert_problem(client.get("/api/v1/posts", query_string={"cursor": cursor}), 422,
                   errors_for="cursor")


def test_unknown_query_parameters_are_ignored(client, author):
    make_post(author, "Tracked")

    assert slugs(client.get("/api/v1/posts?utm_source=mail&_=123")) == ["tracked"]


# --- detail ---------------------------------------------------------------------------------


def test_detail_has_body_and_comment_fields(client, author):
    make_post(author, "Full story", body_html="<p>Every <em>detail</em>.</p>", tags=["Science"])

    response = client.get("/api/v1/posts/full-story")

    assert response.status_code == 200
    body = response.get_json()
    assert LIST_FIELDS | {"body_html", "comments_open", "related"} <= set(body)
    assert body["body_html"] == "<p>Every <em>detail</em>.</p>"
    assert body["comments_open"] is True
    assert body["comment_count"] == 0
    assert isinstance(body["related"], list)


def test_detail_of_an_unknown_post_is_404(client):
    assert_problem(client.get("/api/v1/posts/no-such-post"), 404)


@pytest.mark.parametrize(("viewer", "status"), [
    ("client", 404),
    ("reader_client", 404),
    ("moderator_client", 404),
    ("other_author_client", 404),
    ("author_client", 200),
    ("admin_client", 200),
])
def test_drafts_are_visible_only_to_their_author_and_admins(request, author, viewer, status):
    if viewer == "other_author_client":
        from tests.conftest import signed_in_client

        client = signed_in_client(request.getfixturevalue("app"), make_user(role="author"))
    else:
        client = request.getfixturevalue(viewer)
    make_post(author, "Secret draft", status="draft")

    assert client.get("/api/v1/posts/secret-draft").status_code == status
    assert "secret-draft" not in slugs(client.get("/api/v1/posts"))


# --- create -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [
    ("reader_client", 403),
    ("moderator_client", 403),
    ("author_client", 201),
    ("admin_client", 201),
])
def test_who_may_write_posts(request, who, status):
    client = request.getfixturevalue(who)

    response = client.post("/api/v1/posts", json={"title": "A new story"})

    assert response.status_code == status
    if status == 403:
        assert_problem(response, 403)


def test_anonymous_writers_are_asked_to_sign_in(client):
    assert_problem(client.post("/api/v1/posts", json={"title": "Anonymous"}), 401)


def test_create_answers_the_post(author_client, author):
    response = author_client.post("/api/v1/posts", json={
        "title": "  Budget vote delayed  ", "summary": "The council waits.",
        "body_html": "<p>Text</p>", "tags": ["Politics", "Local news"], "status": "published",
    })

    assert response.status_code == 201
    body = response.get_json()
    assert body["slug"] == "budget-vote-delayed"
    assert body["title"] == "Budget vote delayed"
    assert body["author"] == {"id": author.id, "display_name": "Ada Author"}
    assert body["tags"] == [{"slug": "local-news", "name": "Local news"},
                            {"slug": "politics", "name": "Politics"}]
    assert body["published_at"] is not None
    assert body["url"] == "http://blog.test/posts/budget-vote-delayed"


def test_a_new_post_is_a_draft_by_default(author_client):
    body = author_client.post("/api/v1/posts", json={"title": "Draft"}).get_json()

    assert body["published_at"] is None
    assert body["status"] == "draft"


def test_tags_are_shared_by_slug(author_client):
    author_client.post("/api/v1/posts", json={"title": "One", "tags": ["Middle East"]})
    body = author_client.post("/api/v1/posts",
                              json={"title": "Two", "tags": ["middle  east"]}).get_json()

    assert body["tags"] == [{"slug": "middle-east", "name": "Middle East"}]


# --- slugs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "slug"), [
    ("Zürich", "zurich"),
    ("Zürich's new tram opens", "zurichs-new-tram-opens"),
    ("Crème brûlée & café!", "creme-brulee-cafe"),
    ("東京の天気", "東京の天気"),
    ("Выборы в Москве", "выборы-в-москве"),
    ("नमस्ते दुनिया", "नमस्ते-दुनिया"),
    ("مرحبا بالعالم", "مرحبا-بالعالم"),
    ("!!!", "post"),
])
def test_slugs_are_readable_and_unicode_safe(author_client, title, slug):
    body = author_client.post("/api/v1/posts",
                              json={"title": title, "status": "published"}).get_json()

    assert body["slug"] == slug
    assert author_client.get(f"/api/v1/posts/{slug}").get_json()["title"] == title


def test_duplicate_titles_get_a_number(author_client):
    made = [author_client.post("/api/v1/posts", json={"title": "Storm warning"}).get_json()
            for _ in range(3)]

    assert [post["slug"] for post in made] == ["storm-warning", "storm-warning-2",
                                               "storm-warning-3"]


def test_the_slug_stays_when_the_title_changes(author_client, author):
    make_post(author, "First headline")

    response = author_client.patch("/api/v1/posts/first-headline",
                                   json={"title": "Better headline"})

    assert response.status_code == 200
    assert response.get_json()["slug"] == "first-headline"
    assert author_client.get("/api/v1/posts/first-headline").get_json()["title"] == (
        "Better headline")


# --- change -----------------------------------------------------------------------------------


def test_publishing_sets_published_at_once(author_client, author):
    make_post(author, "Draft story", status="draft")

    first = author_client.patch("/api/v1/posts/draft-story", json={"status": "published"})
    published_at = first.get_json()["published_at"]
    author_client.patch("/api/v1/posts/draft-story", json={"status": "draft"})
    again = author_client.patch("/api/v1/posts/draft-story",
                                json={"status": "published", "title": "Edited"})

    assert published_at is not None
    assert again.get_json()["published_at"] == published_at


def test_another_author_may_not_change_a_post(app, author):
    from tests.conftest import signed_in_client

    make_post(author, "Mine")
    other = signed_in_client(app, make_user(role="author"))

    assert_problem(other.patch("/api/v1/posts/mine", json={"title": "Theirs"}), 403)


@pytest.mark.parametrize(("who", "status"), [
    ("reader_client", 403),
    ("author_client", 200),
    ("admin_client", 200),
])
def test_who_may_change_a_post(request, author, who, status):
    make_post(author, "Changeable")
    client = request.getfixturevalue(who)

    assert client.patch("/api/v1/posts/changeable",
                        json={"summary": "New summary"}).status_code == status


@pytest.mark.parametrize(("changes", "status"), [
    ({"comments_open": False}, 200),
    ({"title": "Moderated title"}, 403),
    ({"comments_open": False, "summary": "x"}, 403),
    ({"tags": ["Other"]}, 403),
])
def test_moderators_may_only_open_and_close_comments(moderator_client, author, changes, status):
    make_post(author, "Heated debate")

    response = moderator_client.patch("/api/v1/posts/heated-debate", json=changes)

    assert response.status_code == status
    db.session.expire_all()
    post = db.session.scalar(db.select(Post).where(Post.slug == "heated-debate"))
    assert post.title == "Heated debate"
    assert post.comments_open is (status != 200)


def test_patch_of_an_unknown_post_is_404(author_client):
    assert_problem(author_client.patch("/api/v1/posts/nope", json={"title": "x"}), 404)


# --- body sanitization ------------------------------------------------------------------------


@pytest.mark.parametrize("kept", [
    "<h2>Section</h2>",
    "<h3>Subsection</h3>",
    '<figure><img src="https://img.example/a.jpg" alt="A map"><figcaption>Map</figcaption>'
    "</figure>",
    "<table><thead><tr><th>Year</th></tr></thead><tbody><tr><td>2024</td></tr></tbody></table>",
    '<p><a href="https://example.org/report">the report</a></p>',
    "<blockquote><p>Quote</p></blockquote>",
    "<ul><li>one</li></ul>",
])
def test_post_bodies_keep_the_wider_allowlist(author_client, kept):
    body = author_client.post("/api/v1/posts", json={"title": "Rich", "body_html": kept})

    assert body.get_json()["body_html"] == kept


@pytest.mark.parametrize(("dirty", "forbidden"), [
    ("<p>Hi</p><script>alert(1)</script>", "<script"),
    ('<p onclick="alert(1)">Hi</p>', "onclick"),
    ('<img src="https://img.example/a.jpg" onerror="alert(1)">', "onerror"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
    ('<a href="javascript:123">x</a>', "javascript"),
    ('<a href=" java\tscript:alert(1)">x</a>', "script"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript"),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "data:"),
    ('<img src="javascript:alert(1)">', "javascript:"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ("<style>body{display:none}</style>", "<style"),
    ('<h1 style="color:red">Big</h1>', "style"),
])
def test_post_bodies_lose_dangerous_markup(author_client, dirty, forbidden):
    body = author_client.post("/api/v1/posts", json={"title": "Dirty", "body_html": dirty})

    assert forbidden.lower() not in body.get_json()["body_html"].lower()


def xss_payloads() -> list[str]:
    corpus = Path(__file__).parent.parent / "data" / "xss_corpus.jsonl"
    return [json.loads(line)["payload"] for line in corpus.read_text().splitlines()]


def url_scheme(value: str) -> str | None:
    """Return the scheme a browser would read in `value` (None for a relative URL)."""
    url = re.sub(r"[\t\n\r]", "", value.strip("\x00\x01\x02\x03 \t\n\f\r")).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", url)
    return match.group(1) if match else None


def test_the_xss_corpus_never_survives_in_a_post_body(app):
    for payload in xss_payloads():
        tree = html5lib.parse(f"<div>{clean_post_html(payload)}</div>", namespaceHTMLElements=False)
        for element in tree.iter():
            assert element.tag not in {"script", "iframe", "object", "embed", "svg", "style"}
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), payload
                if name in ("href", "src"):
                    assert url_scheme(value) in {None, "http", "https", "mailto"}, payload


def test_a_nul_in_a_post_body_is_not_a_crash(author_client):
    response = author_client.post("/api/v1/posts",
                                  json={"title": "Nul", "body_html": "<p>a\u0000b</p>"})

    assert response.status_code in (201, 422)
    if response.status_code == 201:
        assert "\u0000" not in response.get_json()["body_html"]
