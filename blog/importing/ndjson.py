"""The product's own export: NDJSON (one JSON object per line), which `import ndjson` reads back.

Lines, in this order (README "Importing and exporting comments" documents every field):

    {"type": "export", "format": "daily-ledger", "version": 1, "exported_at": "..."}
    {"type": "user", "id", "display_name", "role", "email", "external_issuer",
     "external_subject", "avatar_url", "created_at"}
    {"type": "post", "id", "slug", "title", "summary", "body_html", "tags", "status",
     "comments_open", "canonical_url", "author_id", "created_at", "published_at"}
    {"type": "comment", "id", "post_id", "parent_id", "author_id", "body", "status",
     "score", "created_at", "edited_at"}

Passwords, tokens, votes, flags, follows and notifications are not exported: they are secrets
or readers' activity, not the conversation. An account imported from it signs in again after a
password reset by email. Rows are read in id order with `yield_per`, so memory stays bounded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from blog.extensions import db
from blog.models import Comment, Post, User, utcnow
from blog.services import posts as post_rules
from blog.services import related
from blog.services.importing import (
    Importer,
    ImportReport,
    SourceComment,
    SourceThread,
    parse_time,
)

FORMAT, VERSION = "daily-ledger", 1
CHUNK = 1000


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_lines() -> Iterator[dict]:
    """Every identity, post and comment, as the export's objects."""
    yield {"type": "export", "format": FORMAT, "version": VERSION, "exported_at": _time(utcnow())}
    for user in db.session.scalars(select(User).order_by(User.id).execution_options(
            yield_per=CHUNK)):
        yield {"type": "user", "id": user.id, "display_name": user.display_name,
               "role": str(user.role), "email": user.email,
               "external_issuer": user.external_issuer,
               "external_subject": user.external_subject, "avatar_url": user.avatar_url,
               "created_at": _time(user.created_at)}
    statement = select(Post).options(selectinload(Post.tags)).order_by(Post.id)
    for post in db.session.scalars(statement.execution_options(yield_per=CHUNK)):
        yield {"type": "post", "id": post.id, "slug": post.slug, "title": post.title,
               "summary": post.summary, "body_html": post.body_html,
               "tags": [tag.name for tag in post.tags], "status": str(post.status),
               "comments_open": post.comments_open, "canonical_url": post.canonical_url,
               "author_id": post.author_id, "created_at": _time(post.created_at),
               "published_at": _time(post.published_at)}
    for comment in db.session.scalars(select(Comment).order_by(Comment.id).execution_options(
            yield_per=CHUNK)):
        yield {"type": "comment", "id": comment.id, "post_id": comment.post_id,
               "parent_id": comment.parent_id, "author_id": comment.author_id,
               "body": comment.body, "status": str(comment.status), "score": comment.score,
               "created_at": _time(comment.created_at), "edited_at": _time(comment.edited_at)}


def write_export(stream: TextIO) -> int:
    """Write the export to `stream`; return the number of lines."""
    count = 0
    for line in export_lines():
        stream.write(json.dumps(line, ensure_ascii=False) + "\n")
        count += 1
    return count


def import_export(stream: TextIO, *, dry_run: bool = False) -> ImportReport:
    """Read an export back: identities and posts first, then comments through the Importer."""
    importer = Importer("ndjson", dry_run=dry_run)
    for number, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
            kind = line["type"]
            if kind == "user":
                _user(importer, line)
            elif kind == "post":
                _post(importer, line)
            elif kind == "comment":
                importer.add_comment(_comment(line))
            elif kind != "export":
                importer.report.skip(f"line {number}", "lines of an unknown type")
        except (ValueError, KeyError, TypeError, AttributeError):
            importer.report.skip(f"line {number}", "lines that are not export records")
    return importer.finish()


def _user(importer: Importer, line: dict) -> None:
    issuer, subject = line.get("external_issuer"), line.get("external_subject")
    user = None
    if issuer and subject:
        user = db.session.scalar(select(User).where(
            User.external_issuer == issuer, User.external_subject == subject))
    if user is None and line.get("email"):
        user = db.session.scalar(select(User).where(User.email == line["email"]))
    if user is None and issuer is None:  # an account of the exporting site, by its old id
        issuer, subject = "import:ndjson", str(line["id"])
        user = db.session.scalar(select(User).where(
            User.external_issuer == issuer, User.external_subject == subject))
    if user is None:
        if importer.dry_run:
            return
        user = User(display_name=line["display_name"], role=line.get("role", "reader"),
                    email=line.get("email"), password_hash="", external_issuer=issuer,
                    external_subject=subject, avatar_url=line.get("avatar_url"),
                    created_at=parse_time(line.get("created_at")) or utcnow())
        db.session.add(user)
        db.session.flush()
    importer.adopt_author(str(line["id"]), user)


def _post(importer: Importer, line: dict) -> None:
    post = db.session.scalar(select(Post).where(Post.slug == line["slug"]))
    if post is None and not importer.dry_run:
        author_id = importer.identity_ids.get(str(line["author_id"]))
        if author_id is None:
            importer.report.skip(f"post {line['slug']}", "posts whose author is missing")
            return
        post = Post(slug=line["slug"], title=line["title"], summary=line.get("summary", ""),
                    body_html=line.get("body_html", ""), status=line["status"],
                    comments_open=line.get("comments_open", True),
                    canonical_url=line.get("canonical_url"), author_id=author_id,
                    created_at=parse_time(line.get("created_at")) or utcnow(),
                    published_at=parse_time(line.get("published_at")))
        post.tags = post_rules.tags_named(line.get("tags", []))
        db.session.add(post)
        db.session.flush()
        related.refresh_post(post)
    if post is not None:
        importer.adopt_post(str(line["id"]), post)
    else:  # a dry run: a thread it would make
        importer.threads[str(line["id"])] = SourceThread(key=str(line["id"]), url="",
                                                         title=line["title"])


def _comment(line: dict) -> SourceComment:
    parent = line.get("parent_id")
    return SourceComment(
        id=str(line["id"]), thread_key=str(line["post_id"]), text=line["body"], is_html=False,
        parent_id=str(parent) if parent is not None else None,
        author_id=str(line["author_id"]) if line.get("author_id") is not None else "",
        created_at=parse_time(line.get("created_at")), status=line["status"],
        edited_at=parse_time(line.get("edited_at")), score=int(line.get("score") or 0))
