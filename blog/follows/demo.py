"""Demo follows for `flask seed-demo`: a reader follows a tag, another the author."""

from __future__ import annotations

from blog.models import Post, User
from blog.services import follows, posts

DEMO_TAG_SLUG = "climate"


def seed_follows(users: dict[str, User], seeded: list[tuple[Post, dict]]) -> None:
    """Make the demo readers follow something, so new posts and comments notify them."""
    follows.follow_tag(users["reader1"], posts.get_tag(DEMO_TAG_SLUG))
    follows.follow_author(users["reader2"], users["author"])


def register_demo_seeder() -> None:
    """Add the follows seeder to seed-demo's hook (once, however many apps are made)."""
    from blog.demo.seed import EXTRA_SEEDERS

    if seed_follows not in EXTRA_SEEDERS:
        EXTRA_SEEDERS.append(seed_follows)
