"""Atom feeds (feedgen): latest posts, one tag's posts, and a post's approved comments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response
from sqlalchemy import select

from blog.api.caching import public_cache
from blog.extensions import db
from blog.models import Comment, CommentStatus, Post, PostStatus, utcnow
from blog.services import posts
from blog.services.errors import NotFound
from blog.urls import absolute_url, post_url

bp = Blueprint("feeds", __name__)
SITE = "The Daily Ledger"
FEED_SIZE = 30
ATOM = "application/atom+xml"


def _feed(feed_id: str, title: str, self_url: str, page_url: str,
          updated: datetime | None) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.author({"name": SITE})
    feed.link(href=self_url, rel="self", type=ATOM)
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.updated(updated or utcnow())
    return feed


def _answer(feed: FeedGenerator) -> Response:
    return Response(feed.atom_str(pretty=True), mimetype=ATOM)


def _add_posts(feed: FeedGenerator, items: Iterable[Post]) -> None:
    for post in items:
        entry = feed.add_entry(order="append")
        entry.id(post_url(post))
        entry.title(post.title)
        entry.link(href=post_url(post), rel="alternate", type="text/html")
        entry.published(post.published_at)
        entry.updated(max(post.updated_at, post.published_at))
        entry.author({"name": post.author.display_name})
        entry.summary(post.summary or post.title)
        entry.content(post.body_html, type="html")
        for tag in post.tags:
            entry.category(term=tag.slug, label=tag.name)


def _latest(tag_slug: str | None = None) -> list[Post]:
    statement = posts.published_posts(tag_slug=tag_slug)
    return list(db.session.scalars(
        statement.order_by(Post.published_at.desc(), Post.id.desc()).limit(FEED_SIZE)
    ))


def _newest(items: list, attribute: str) -> datetime | None:
    return max((getattr(item, attribute) for item in items), default=None)


@bp.route("/feeds/posts.atom")
@public_cache
def posts_feed():
    """Serve the Atom feed of the latest published posts."""
    items = _latest()
    feed = _feed(absolute_url("feeds.posts_feed"), f"{SITE}: latest news",
                 absolute_url("feeds.posts_feed"), absolute_url("posts.front_page"),
                 _newest(items, "updated_at"))
    _add_posts(feed, items)
    return _answer(feed)


@bp.route("/feeds/tags/<slug>.atom")
@public_cache
def tag_feed(slug):
    """Serve the Atom feed of one tag's latest posts."""
    tag = posts.get_tag(slug)
    items = _latest(tag.slug)
    url = absolute_url("feeds.tag_feed", slug=tag.slug)
    feed = _feed(url, f"{SITE}: {tag.name}", url, absolute_url("posts.tag_page", slug=tag.slug),
                 _newest(items, "updated_at"))
    _add_posts(feed, items)
    return _answer(feed)


@bp.route("/feeds/posts/<slug>/comments.atom")
@public_cache
def comments_feed(slug):
    """Serve the Atom feed of a post's approved comments, newest first."""
    post = db.session.scalar(select(Post).where(Post.slug == slug))
    if post is None or post.status != PostStatus.PUBLISHED:
        raise NotFound("No such post.")
    comments = list(db.session.scalars(
        select(Comment).where(Comment.post_id == post.id,
                              Comment.status == CommentStatus.APPROVED.value)
        .order_by(Comment.created_at.desc(), Comment.id.desc()).limit(FEED_SIZE)
    ))
    url = absolute_url("feeds.comments_feed", slug=post.slug)
    feed = _feed(url, f"Comments on “{post.title}”", url, post_url(post),
                 _newest(comments, "created_at") or post.published_at)
    for comment in comments:
        link = f"{post_url(post)}#comment-{comment.id}"
        entry = feed.add_entry(order="append")
        entry.id(link)
        name = comment.author.display_name if comment.author else "deleted user"
        entry.title(f"{name} on “{post.title}”")
        entry.link(href=link, rel="alternate", type="text/html")
        entry.published(comment.created_at)
        entry.updated(comment.edited_at or comment.created_at)
        entry.author({"name": name})
        entry.content(comment.body_html, type="html")
    return _answer(feed)
