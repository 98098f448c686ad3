"""Text for the seeded rows: comment HTML as the product makes it, and article bodies.

Comment HTML is stored once, on write, by the product; bulk seeding skips the write path, so it
asks the product's sanitizer for the same HTML when it offers a comment renderer, and otherwise
makes the paragraphs, emphasis and nofollow links the product's markup would produce.
"""

from __future__ import annotations

import html
import random
import re
from functools import cache

from bench.content import WORDS

#: Names the comments feature may give its "comment text to safe HTML" function.
RENDERER_NAMES = ("render_comment", "render_comment_html", "comment_html", "clean_comment")
_LINK = re.compile(r"(https?://\S+)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


@cache
def _product_renderer():
    from blog.services import sanitize

    for name in RENDERER_NAMES:
        if callable(getattr(sanitize, name, None)):
            return getattr(sanitize, name)
    return None


def _fallback_render(text: str) -> str:
    paragraphs = []
    for block in text.split("\n\n"):
        escaped = _BOLD.sub(r"<strong>\1</strong>", html.escape(block, quote=False))
        linked = _LINK.sub(r'<a href="\1" rel="nofollow ugc noopener">\1</a>', escaped)
        paragraphs.append(f"<p>{linked}</p>")
    return "\n".join(paragraphs)


def render_comment(text: str) -> str:
    """Return the safe HTML the product stores for a comment written as `text`."""
    renderer = _product_renderer()
    return renderer(text) if renderer else _fallback_render(text)


class ArticleWriter:
    """Makes plausible article titles, summaries and bodies (the related-posts model reads them)."""

    def title(self, rng: random.Random) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 9))).capitalize()

    def summary(self, rng: random.Random) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 30))).capitalize() + "."

    def body(self, rng: random.Random, paragraphs: int = 6) -> str:
        blocks = []
        for _ in range(paragraphs):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90)))
            blocks.append(f"<p>{words.capitalize()}.</p>")
        return "".join(blocks)
