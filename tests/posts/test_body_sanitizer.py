"""Post bodies: script-like elements go with their text; comments still show what was typed."""

from __future__ import annotations

import pytest

from blog.services.sanitize import clean_post_html, render_comment


@pytest.mark.parametrize("html", [
    "<p>News</p><script>alert(1)</script>",
    "<p>News</p><SCRIPT type='text/javascript'>alert(1)</SCRIPT >",
    "<p>News</p><style>p { color: red } alert(1)</style>",
    "<p>News</p><noscript>alert(1)</noscript>",
    "<p>News</p><template><p>alert(1)</p></template>",
    "<p>News</p><iframe src='https://x.example'>alert(1)</iframe>",
    "<p>News</p><script>alert(1)",  # unclosed: the rest is script, as a browser reads it
])
def test_script_like_content_leaves_no_visible_text(html):
    assert clean_post_html(html) == "<p>News</p>"


def test_the_rest_of_the_body_is_kept():
    html = "<h2>Budget</h2><script>x()</script><p>The <em>chancellor</em> spoke.</p>"
    assert clean_post_html(html) == "<h2>Budget</h2><p>The <em>chancellor</em> spoke.</p>"


def test_a_comment_still_shows_a_script_tag_as_the_text_it_is():
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in render_comment("<script>alert(1)</script>")
