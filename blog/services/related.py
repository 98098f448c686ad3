"""Related posts. Issue #6 replaces this with the precomputed relevance model."""

from __future__ import annotations

from blog.models import Post


def related_posts(post: Post, limit: int = 5) -> list[dict]:
    """Return up to `limit` posts related to `post`, best first (none until issue #6 lands)."""
    return []
