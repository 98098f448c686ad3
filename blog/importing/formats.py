"""Readers of other systems' exports: each yields SourceThread and SourceComment records.

XML is read with defusedxml's iterparse (a DTD or an entity declaration is refused, so no
"billion laughs" and no external entities), one element at a time, each cleared once read, so a
export of hundreds of megabytes is read in bounded memory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import BinaryIO
from urllib.parse import urljoin

from defusedxml.ElementTree import iterparse

from blog.models import CommentStatus
from blog.services.importing import SourceComment, SourceThread, parse_time

DSQ = "{http://disqus.com/disqus-internals}id"
Record = SourceThread | SourceComment


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element, name: str):
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _text(element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


def _true(text: str) -> bool:
    return text.strip().lower() == "true"


def read_disqus(stream: BinaryIO) -> Iterator[Record]:
    """Disqus's XML export: <thread dsq:id> with <link> and <title>; <post dsq:id> with
    <message>, <createdAt>, <isDeleted>, <isSpam>, <author>, <thread dsq:id/>, <parent dsq:id/>."""
    depth, root = 0, None
    for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
        if event == "start":
            root = element if root is None else root
            depth += 1
            continue
        depth -= 1
        if depth != 1:
            continue  # only the root's children are records
        name = _local(element.tag)
        if name == "thread":
            yield SourceThread(key=element.get(DSQ, ""), url=_text(element, "link"),
                               title=_text(element, "title"))
        elif name == "post":
            yield _disqus_comment(element)
        root.clear()  # drop the record read, or the root keeps every one of them (memory)


def _disqus_comment(post) -> SourceComment:
    author = _child(post, "author")
    thread = _child(post, "thread")
    parent = _child(post, "parent")
    if _true(_text(post, "isSpam")):
        status = CommentStatus.SPAM.value
    elif _true(_text(post, "isDeleted")):
        status = CommentStatus.DELETED.value
    else:
        status = CommentStatus.APPROVED.value
    return SourceComment(
        id=post.get(DSQ, ""), thread_key=thread.get(DSQ, "") if thread is not None else "",
        parent_id=parent.get(DSQ) if parent is not None else None, text=_text(post, "message"),
        author_name=_text(author, "name") if author is not None else "",
        author_email=_text(author, "email") if author is not None else "",
        author_id=_text(author, "username") if author is not None else "",
        created_at=parse_time(_text(post, "createdAt")), status=status)


#: WordPress's comment_approved values.
WORDPRESS_STATUS = {"1": CommentStatus.APPROVED.value, "0": CommentStatus.PENDING.value,
                    "spam": CommentStatus.SPAM.value, "trash": CommentStatus.DELETED.value}


def read_wordpress(stream: BinaryIO) -> Iterator[Record]:
    """WordPress's WXR: each <item> (a post, with <link> and <title>) holds its <wp:comment>s.
    Pingbacks and trackbacks are skipped; comment ids are the site's."""
    for _, element in iterparse(stream, events=("end",), forbid_dtd=True):
        if _local(element.tag) != "item":
            continue
        link = _text(element, "link")
        yield SourceThread(key=link, url=link, title=_text(element, "title"))
        for comment in element:
            if _local(comment.tag) != "comment":
                continue
            if _text(comment, "comment_type") in ("pingback", "trackback"):
                continue
            parent = _text(comment, "comment_parent")
            approved = _text(comment, "comment_approved")
            yield SourceComment(
                id=_text(comment, "comment_id"), thread_key=link,
                parent_id=parent if parent not in ("", "0") else None,
                text=_text(comment, "comment_content"),
                author_name=_text(comment, "comment_author"),
                author_email=_text(comment, "comment_author_email"),
                author_id=_wordpress_user(_text(comment, "comment_user_id")),
                created_at=parse_time(_text(comment, "comment_date_gmt")),
                status=WORDPRESS_STATUS.get(approved, approved or "?"))
        element.clear()


def _wordpress_user(user_id: str) -> str:
    """A registered WordPress user's id; "0" (a guest) names nobody: name and email do."""
    return "" if user_id in ("", "0") else f"user-{user_id}"


#: Isso's comment modes.
ISSO_STATUS = {1: CommentStatus.APPROVED.value, 2: CommentStatus.PENDING.value,
               4: CommentStatus.DELETED.value}


def read_isso(path: str, base_url: str) -> Iterator[Record]:
    """Isso's SQLite database: threads(id, uri, title) and comments(tid, id, parent, created,
    mode, text, author, email, ...). Its URIs are paths: `base_url` makes them addresses."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for tid, uri, title in connection.execute("SELECT id, uri, title FROM threads ORDER BY id"):
            yield SourceThread(key=str(tid), url=urljoin(base_url, uri or ""), title=title or "")
        rows = connection.execute(
            "SELECT tid, id, parent, created, mode, text, author, email FROM comments ORDER BY id")
        for tid, cid, parent, created, mode, text, author, email in rows:
            yield SourceComment(
                id=str(cid), thread_key=str(tid), parent_id=str(parent) if parent else None,
                text=text or "", is_html=False, author_name=author or "",
                author_email=email or "",
                created_at=(datetime.fromtimestamp(created, UTC)
                            if isinstance(created, (int, float)) else None),
                status=ISSO_STATUS.get(mode, "?"))
    finally:
        connection.close()
