"""The readers' markup and the link policy of comment rendering."""

from __future__ import annotations

import random

import pytest

from blog.services import sanitize
from blog.services.sanitize import render_comment


@pytest.mark.parametrize(("text", "html"), [
    ("Hello", "<p>Hello</p>"),
    ("one\ntwo", "<p>one<br>\ntwo</p>"),
    ("one\n\n\ntwo", "<p>one</p><p>two</p>"),
    ("**bold** and *italic*", "<p><strong>bold</strong> and <em>italic</em></p>"),
    ("<b>bold</b> and <em>tags</em>", "<p><b>bold</b> and <em>tags</em></p>"),
    ("use `a*b*c` or `<b>`", "<p>use <code>a*b*c</code> or <code>&lt;b&gt;</code></p>"),
    ("> quoted\n> twice", "<blockquote><p>quoted<br>\ntwice</p></blockquote>"),
    ("- a\n- b", "<ul><li>a</li><li>b</li></ul>"),
    ("1. a\n2. b", "<ol><li>a</li><li>b</li></ol>"),
    ("2*3*4 = 24", "<p>2*3*4 = 24</p>"),
    ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
    ('<p style="color:red" class="x">styled</p>', "<p>styled</p>"),
])
def test_markup(text, html):
    assert render_comment(text) == html


def test_bare_urls_become_nofollow_links():
    html = render_comment("Source: https://example.org/report?id=3")
    assert ('<a href="https://example.org/report?id=3" rel="nofollow ugc noopener">'
            in html)


def test_written_links_get_rel_and_lose_other_attributes():
    html = render_comment('<a href="https://example.org" target="_blank" rel="me">site</a>')
    assert html == ('<p><a href="https://example.org" rel="nofollow ugc noopener">site</a></p>')


@pytest.mark.parametrize("href", ["javascript:alert(1)", "data:text/html,x", "ftp://x.org/f",
                                  "vbscript:msgbox(1)"])
def test_other_protocols_lose_their_link(href):
    assert "href" not in render_comment(f'<a href="{href}">x</a>')


def test_mailto_links_are_kept():
    assert 'href="mailto:desk@example.org"' in render_comment(
        '<a href="mailto:desk@example.org">mail us</a>')


def test_images_and_iframes_are_shown_as_text():
    html = render_comment('<img src="https://x.org/a.png"><iframe src="https://x.org"></iframe>')
    assert "<img" not in html and "<iframe" not in html and "&lt;img" in html


def _random_comment(rng: random.Random) -> str:
    """A comment made of the pieces that matter to the renderer: markup, links and near-links,
    punctuation, and text that is not ASCII."""
    pieces = [
        "word", "Council", "é", "naïve", "中文", "🙂", "\xa0", " ", " ", "\t", "\n", "\n\n",
        "*", "**", "`", "> ", "- ", "+ ", "1. ", "2) ", ".", ",", ":", ";", "!", "?", "'", '"',
        "(", ")", "[", "]", "/", "\\", "#", "%", "=", "_", "~", "@", "com", "org", "news", "io",
        "example.org", "www.", "http", "https://", "mailto:", "a.b", "x.co.uk", "1.5", "3.14",
        "e.g.", "i.e.", "…", "—", "&", "&amp;", "<", "<b>", "</p>", "<!--", ">",
    ]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))


def test_plain_comments_render_as_the_sanitizer_would_have():
    """Text with nothing for bleach to do skips it: the HTML must be what bleach would give."""
    rng = random.Random(20261125)
    plain = 0
    for _ in range(4000):
        text = _random_comment(rng)
        rendered = render_comment(text)
        assert rendered == render_through_cleaner(text), text
        plain += sanitize._is_plain(text.strip())
    assert 400 < plain < 3600  # both paths were taken, many times


@pytest.mark.parametrize("text", [
    "see example.org", "a < b", "fish & chips", "x\x0by", "<!-- x -->", "x\x85y",
])
def test_text_that_needs_the_sanitizer_goes_through_it(text):
    assert not sanitize._is_plain(text)
    assert render_comment(text) == render_through_cleaner(text)


def render_through_cleaner(text: str) -> str:
    """render_comment as it was before plain text skipped bleach: always through the cleaner."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    cleaned = sanitize._comment_cleaner.clean(sanitize._blocks_html(text))
    return sanitize._EMPTY_PARAGRAPH.sub("", cleaned).strip()
