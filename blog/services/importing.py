"""Importing comments from other systems, and the NDJSON export that imports back.

Readers of each format (blog.importing.formats) turn a file into a stream of `SourceThread` and
`SourceComment` records, read incrementally; `import_records` writes them. The rules:

- A thread is the post whose canonical_url is the record's page URL (made when missing, as an
  embed's first visit would: blog.services.threads).
- A comment's text goes through the product's comment policy (`render_comment`): source HTML is
  first reduced to its text (paragraphs and line breaks kept as lines), so an imported comment
  looks like one written here and no source markup reaches a page.
- Authors become imported identities (`external_issuer` "import:<source>"): shown by name, never
  signed in (no password). Claiming them later by a verified email is not built.
- Idempotent: every comment carries `import:<source>:<id>` as its idempotency key, unique per
  author; a key already present is counted, not written again (within one run too, so an export
  listing an id twice writes it once).
- Replies stay replies; a reply whose parent is missing becomes top level (counted). Bad records
  are reported by id or line and skipped; the rest goes on.
- Counters (approved comments per post, approved replies per comment) grow by what each batch
  wrote, in two executemany UPDATEs at its end, and the touched posts' thread version is raised.
  Adding, not recounting, keeps a batch's cost to its own size: recounting every comment of the
  touched posts made a large thread slower with each batch (89 comments/s at 5 MB). Imported
  comments are old news and send no notifications.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import bindparam, select, update

from blog.extensions import db
from blog.models import Comment, CommentStatus, Post, Role, User, utcnow
from blog.services import thread_cache, threads
from blog.services.canonical_urls import normalise_url
from blog.services.errors import ServiceError
from blog.services.moderation_rules import text_key
from blog.services.sanitize import markup_free_text, render_comment
from blog.wording import plural

ISSUER_PREFIX = "import:"
BATCH_SIZE = 500
MAX_BODY = 10_000


@dataclass
class SourceThread:
    key: str
    url: str
    title: str


@dataclass
class SourceComment:
    id: str
    thread_key: str
    text: str
    is_html: bool = True
    parent_id: str | None = None
    author_name: str = ""
    author_email: str = ""
    author_id: str = ""
    created_at: datetime | None = None
    status: str = CommentStatus.APPROVED.value
    edited_at: datetime | None = None
    score: int = 0


@dataclass
class Skipped:
    where: str
    reason: str


@dataclass
class ImportReport:
    imported: int = 0
    present: int = 0
    threads: set[str] = field(default_factory=set)
    orphans: int = 0
    skipped: Counter = field(default_factory=Counter)
    problems: list[Skipped] = field(default_factory=list)

    def skip(self, where: str, reason: str) -> None:
        self.skipped[reason] += 1
        self.problems.append(Skipped(where, reason))

    def summary(self, dry_run: bool = False) -> str:
        verb = "would import" if dry_run else "imported"
        line = (f"{verb} {plural(self.imported, 'comment')} in "
                f"{plural(len(self.threads), 'thread')}")
        if self.present:
            line += f"; {self.present:,} already present"
        skipped = sum(self.skipped.values())
        reasons = ", ".join(f"{reason}: {count:,}"
                            for reason, count in sorted(self.skipped.items()))
        line += f"; {skipped:,} skipped" + (f" ({reasons})" if reasons else "")
        if self.orphans:
            line += f"; {plural(self.orphans, 'reply', 'replies')} made top level (parent missing)"
        return line


def html_to_text(source: str) -> str:
    """The words of a source's HTML comment, one line per paragraph or line break."""
    marked = re.sub(r"(?i)<br\s*/?>", "\n", source)
    marked = re.sub(r"(?i)</p\s*>\s*", "\n\n", marked)
    return re.sub(r"\n{3,}", "\n\n", markup_free_text(marked)).strip()


class Importer:
    """Writes one source's records; `source` names it in identities and keys ("disqus")."""

    def __init__(self, source: str, *, dry_run: bool = False,
                 progress: Callable[[int], None] | None = None):
        self.source = source
        self.dry_run = dry_run
        self.report = ImportReport()
        self.progress = progress or (lambda done: None)
        self.threads: dict[str, SourceThread] = {}
        self.posts: dict[str, Post] = {}
        self.comment_ids: dict[str, int] = {}  # source id -> our id (for parents)
        self.depths: dict[int, tuple[int, int | None]] = {}  # our id -> (depth, thread_id)
        self.seen: set[str] = set()
        self.author_ids: dict[str, int] = {}  # source subject -> our user id, for the whole run
        self.added_to_post: Counter[int] = Counter()  # post id -> approved comments written
        self.added_to_parent: Counter[int] = Counter()  # comment id -> approved replies written
        self.pending = 0
        #: Replies read before their parent (Disqus lists posts in no order): source parent id
        #: -> records, written when the parent is; at the end, the rest become top level.
        self.waiting: dict[str, list[SourceComment]] = {}
        self.known: set[str] = set()  # source ids accepted in this run
        #: Threads and authors the caller made itself (our own NDJSON): source key -> our id.
        self.post_ids: dict[str, int] = {}
        self.identity_ids: dict[str, int] = {}

    def adopt_post(self, key: str, post: Post) -> None:
        """Use `post` for the thread `key` (an NDJSON post, which may have no URL)."""
        self.threads[key] = SourceThread(key=key, url="", title=post.title)
        self.post_ids[key] = post.id

    def adopt_author(self, source_id: str, user: User) -> None:
        self.identity_ids[source_id] = user.id

    # -- records -----------------------------------------------------------------------------

    def add_thread(self, thread: SourceThread) -> None:
        try:
            normalise_url(thread.url)
        except ServiceError:
            self.report.skip(f"thread {thread.key}", "threads without a valid URL")
            return
        self.threads[thread.key] = thread

    def add_comment(self, record: SourceComment) -> None:
        """Write one comment (its parent, if any, must have come before it)."""
        problem = self._problem(record)
        if problem:
            self.report.skip(f"comment {record.id or '?'}", problem)
            return
        key = f"{ISSUER_PREFIX}{self.source}:{record.id}"
        if key in self.seen:
            self.report.skip(f"comment {record.id}", "duplicated ids")
            return
        self.seen.add(key)
        if record.parent_id and record.parent_id not in self.known:
            self.waiting.setdefault(record.parent_id, []).append(record)
            return
        self._accept(record, key)

    def _accept(self, record: SourceComment, key: str) -> bool:
        """Write `record` (unless already present: then False), then the replies it released."""
        self.known.add(record.id)
        thread = self.threads[record.thread_key]
        self.report.threads.add(thread.key)
        if self.dry_run:
            self.report.imported += 1
            written = True
        else:
            written = self._store(record, thread, key)
        self._release(record.id)
        return written

    def _store(self, record: SourceComment, thread: SourceThread, key: str) -> bool:
        author_id = self._author_id(record)
        existing = db.session.scalar(select(Comment.id).where(
            Comment.author_id == author_id, Comment.idempotency_key == key))
        if existing is not None:
            self.comment_ids[record.id] = existing
            self.report.present += 1
            return False
        self._write(record, thread, author_id, key)
        return True

    def _release(self, parent_source_id: str) -> None:
        """Write the replies that waited for this comment, and theirs."""
        for reply in self.waiting.pop(parent_source_id, []):
            self._accept(reply, f"{ISSUER_PREFIX}{self.source}:{reply.id}")

    def finish(self) -> ImportReport:
        """Write the replies whose parent never came, as top-level comments; commit the rest."""
        while self.waiting:
            _, replies = self.waiting.popitem()
            for reply in replies:
                reply.parent_id = None
                if self._accept(reply, f"{ISSUER_PREFIX}{self.source}:{reply.id}"):
                    self.report.orphans += 1
        self._flush_batch()
        return self.report

    # -- inside ------------------------------------------------------------------------------

    def _problem(self, record: SourceComment) -> str | None:
        if not record.id:
            return "comments without an id"
        if record.thread_key not in self.threads:
            return "comments of an unknown thread"
        if not record.text.strip():
            return "empty comments"
        if record.status not in {status.value for status in CommentStatus}:
            return "comments with an unknown status"
        return None

    def _post(self, thread: SourceThread) -> Post:
        post = self.posts.get(thread.key)
        if post is None and thread.key in self.post_ids:
            post = db.session.get(Post, self.post_ids[thread.key])
        if post is None:
            post, _ = threads.ensure_thread(thread.url, thread.title or thread.url, None,
                                            embed_origin_allowed=True, auto_create=True)
            self.post_ids[thread.key] = post.id
        self.posts[thread.key] = post
        return post

    def _author_id(self, record: SourceComment) -> int:
        """Our user id for the record's author; kept across batches (ids, not objects: a batch's
        commit expunges its objects), so each author is looked up once per run."""
        if record.author_id in self.identity_ids:
            return self.identity_ids[record.author_id]
        subject = record.author_id or hashlib.sha256(
            f"{record.author_name}\n{record.author_email.lower()}".encode()).hexdigest()[:40]
        known = self.author_ids.get(subject)
        if known is not None:
            return known
        issuer = ISSUER_PREFIX + self.source
        author = db.session.scalar(select(User).where(
            User.external_issuer == issuer, User.external_subject == subject))
        if author is None:
            author = User(display_name=(record.author_name or "Anonymous").strip()[:80],
                          role=Role.READER.value, password_hash="", external_issuer=issuer,
                          external_subject=subject)
            db.session.add(author)
            db.session.flush()
        self.author_ids[subject] = author.id
        return author.id

    def _write(self, record: SourceComment, thread: SourceThread, author_id: int, key: str):
        post = self._post(thread)
        body = (html_to_text(record.text) if record.is_html else record.text.strip())[:MAX_BODY]
        parent_id = self.comment_ids.get(record.parent_id) if record.parent_id else None
        depth, thread_id = 0, None
        if parent_id is not None:
            parent_depth, parent_thread = self._depth_of(parent_id)
            max_depth = current_app.config["COMMENT_MAX_DEPTH"]
            depth, thread_id = min(parent_depth + 1, max_depth), parent_thread or parent_id
        created = record.created_at or utcnow()
        comment = Comment(post_id=post.id, author_id=author_id, parent_id=parent_id,
                          thread_id=thread_id, depth=depth, body=body,
                          body_html=render_comment(body), status=record.status,
                          text_key=text_key(body), idempotency_key=key, created_at=created,
                          updated_at=created, edited_at=record.edited_at, score=record.score,
                          deleted_at=created if record.status == CommentStatus.DELETED else None)
        db.session.add(comment)
        db.session.flush()
        self.comment_ids[record.id] = comment.id
        self.depths[comment.id] = (depth, thread_id)
        self.added_to_post[post.id] += 0
        if comment.status == CommentStatus.APPROVED.value:
            self.added_to_post[post.id] += 1
            if parent_id is not None:
                self.added_to_parent[parent_id] += 1
        self.report.imported += 1
        self.pending += 1
        if self.pending >= BATCH_SIZE:
            self._flush_batch()

    def _depth_of(self, comment_id: int) -> tuple[int, int | None]:
        known = self.depths.get(comment_id)
        if known is None:
            row = db.session.execute(select(Comment.depth, Comment.thread_id).where(
                Comment.id == comment_id)).one()
            known = self.depths[comment_id] = (row.depth, row.thread_id)
        return known

    def _flush_batch(self) -> None:
        """Add the batch to the counters and commit it (bounded memory, resumable)."""
        if self.dry_run:
            return
        add_counts(self.added_to_post, self.added_to_parent)
        db.session.commit()
        db.session.expunge_all()
        self.posts.clear()
        self.depths.clear()
        self.progress(self.pending)
        self.added_to_post, self.added_to_parent = Counter(), Counter()
        self.pending = 0


def add_counts(added_to_post: Counter[int], added_to_parent: Counter[int]) -> None:
    """Add approved comments to their posts' counts (raising each one's thread version, even by
    0: a held or spam comment is news to the moderators' views) and replies to their parents'."""
    if added_to_parent:
        db.session.execute(
            update(Comment.__table__).where(Comment.__table__.c.id == bindparam("comment_id"))
            .values(reply_count=Comment.__table__.c.reply_count + bindparam("added")),
            [{"comment_id": key, "added": n} for key, n in added_to_parent.items()])
    if added_to_post:
        db.session.execute(
            update(Post.__table__).where(Post.__table__.c.id == bindparam("post_id"))
            .values(comment_count=Post.__table__.c.comment_count + bindparam("added"),
                    **thread_cache.RAISE_VERSION),
            [{"post_id": key, "added": n} for key, n in added_to_post.items()])


def parse_time(text: str | None) -> datetime | None:
    """An ISO 8601 or `YYYY-MM-DD HH:MM:SS` time (UTC when it names no zone); None if unreadable."""
    if not text or not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def unescape(text: str | None) -> str:
    return html.unescape(text or "")
