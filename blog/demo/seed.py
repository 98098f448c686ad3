"""Load the demo content: accounts, posts (and, through their features, comments)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from blog.demo.content import POSTS
from blog.extensions import db
from blog.models import Post, Role, User, utcnow
from blog.services import accounts, posts


@dataclass(frozen=True)
class DemoAccount:
    key: str
    email: str
    password: str
    display_name: str
    role: Role


DEMO_ACCOUNTS = (
    DemoAccount("author", "author@example.com", "author-demo-pass", "Maya Okafor", Role.AUTHOR),
    DemoAccount("moderator", "moderator@example.com", "moderator-demo-pass", "Sam Reyes",
                Role.MODERATOR),
    DemoAccount("reader1", "reader@example.com", "reader-demo-pass", "Priya Nair", Role.READER),
    DemoAccount("reader2", "reader2@example.com", "reader2-demo-pass", "Tomás Lindqvist",
                Role.READER),
)


def seed_accounts() -> dict[str, User]:
    """Create the demo accounts that do not exist yet; return them all by key."""
    users = {}
    for account in DEMO_ACCOUNTS:
        user = accounts.find_user_by_email(account.email)
        if user is None:
            user = accounts.register_user(account.email, account.password,
                                          account.display_name, account.role)
        users[account.key] = user
    return users


def seed_posts(author: User) -> list[tuple[Post, dict]]:
    """Publish the demo posts that do not exist yet; return every demo post with its content."""
    seeded = []
    now = utcnow()
    for content in POSTS:
        post = db.session.scalar(select(Post).where(Post.title == content["title"]))
        if post is None:
            post = posts.create_post(author, {
                "title": content["title"],
                "summary": content["summary"],
                "body_html": content["body_html"],
                "tags": content["tags"],
                "status": "published",
            })
            post.published_at = now - timedelta(hours=content["hours_ago"])
        seeded.append((post, content))
    db.session.flush()
    return seeded


#: Functions `(users, seeded_posts) -> None` that features add, to seed their own demo content.
EXTRA_SEEDERS: list = []


def seed_demo() -> tuple[DemoAccount, ...]:
    """Load every piece of demo content that is missing; safe to run again."""
    users = seed_accounts()
    seeded = seed_posts(users["author"])
    for seeder in EXTRA_SEEDERS:
        seeder(users, seeded)
    db.session.flush()
    return DEMO_ACCOUNTS
