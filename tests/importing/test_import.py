# ruff: noqa: E501  (the sample exports keep their lines as the exporting tools write them)
"""Importing Disqus, WordPress and Isso exports written in their real formats."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from blog.models import Comment, Post, User
from blog.services import importing

DISQUS = """<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <category dsq:id="1"><forum>ledger</forum><title>General</title></category>
  <thread dsq:id="t1"><id/><forum>ledger</forum><link>https://News.Example.com/harbour#top</link>
    <title>Harbour dredging</title><createdAt>2019-03-01T08:00:00Z</createdAt></thread>
  <thread dsq:id="t2"><link>https://news.example.com/ferry</link><title>Ferry fares</title></thread>
  <post dsq:id="p3"><message><![CDATA[<p>Replying before my parent is listed.</p>]]></message>
    <createdAt>2019-03-01T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><email>b@example.com</email><name>Ben</name><username>ben</username></author>
    <thread dsq:id="t1"/><parent dsq:id="p1"/></post>
  <post dsq:id="p1"><message><![CDATA[<p>First line<br>second line</p><p>New paragraph with <b>bold</b>.</p><script>alert(1)</script>]]></message>
    <createdAt>2019-03-01T09:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><email>a@example.com</email><name>Ann</name><username>ann</username></author>
    <thread dsq:id="t1"/></post>
  <post dsq:id="p1"><message>The same id again.</message><thread dsq:id="t1"/>
    <author><name>Ann</name><username>ann</username></author></post>
  <post dsq:id="p4"><message>Buy pills</message><isSpam>true</isSpam><isDeleted>false</isDeleted>
    <author><name>Spammer</name></author><thread dsq:id="t2"/></post>
  <post dsq:id="p5"><message>Removed by its author.</message><isDeleted>true</isDeleted>
    <author><name>Cat</name></author><thread dsq:id="t2"/></post>
  <post dsq:id="p6"><message>My parent was never exported.</message><createdAt></createdAt>
    <author><name>Dan</name></author><thread dsq:id="t2"/><parent dsq:id="gone"/></post>
  <post dsq:id="p7"><message>A thread nobody exported.</message><thread dsq:id="t9"/></post>
</disqus>
"""

WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>The Ledger</title>
 <item><title>Council budget</title><link>https://news.example.com/budget/</link>
  <wp:post_type>post</wp:post_type>
  <wp:comment><wp:comment_id>11</wp:comment_id><wp:comment_author>Eve</wp:comment_author>
   <wp:comment_author_email>eve@example.com</wp:comment_author_email>
   <wp:comment_date_gmt>2021-05-02 12:30:00</wp:comment_date_gmt>
   <wp:comment_content><![CDATA[Taxes again.
Two lines.]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>
   <wp:comment_type>comment</wp:comment_type><wp:comment_parent>0</wp:comment_parent>
   <wp:comment_user_id>0</wp:comment_user_id></wp:comment>
  <wp:comment><wp:comment_id>12</wp:comment_id><wp:comment_author>Fay</wp:comment_author>
   <wp:comment_content>Agreed.</wp:comment_content><wp:comment_approved>0</wp:comment_approved>
   <wp:comment_parent>11</wp:comment_parent><wp:comment_user_id>3</wp:comment_user_id></wp:comment>
  <wp:comment><wp:comment_id>13</wp:comment_id><wp:comment_author>Bot</wp:comment_author>
   <wp:comment_content>Cheap watches</wp:comment_content><wp:comment_approved>spam</wp:comment_approved>
   <wp:comment_parent>0</wp:comment_parent></wp:comment>
  <wp:comment><wp:comment_id>14</wp:comment_id><wp:comment_author>Gus</wp:comment_author>
   <wp:comment_content>Binned.</wp:comment_content><wp:comment_approved>trash</wp:comment_approved>
   <wp:comment_parent>0</wp:comment_parent></wp:comment>
  <wp:comment><wp:comment_id>15</wp:comment_id><wp:comment_author>blog.example</wp:comment_author>
   <wp:comment_content>Linked to you</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
   <wp:comment_type>pingback</wp:comment_type></wp:comment>
  <wp:comment><wp:comment_id>16</wp:comment_id><wp:comment_author>Hal</wp:comment_author>
   <wp:comment_content></wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>
 </item>
</channel></rss>
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<disqus><thread><link>&lol2;</link></thread></disqus>
"""


def run(runner, tmp_path, kind: str, text: str, *extra: str):
    path = tmp_path / f"export.{kind}"
    path.write_text(text)
    return runner.invoke(args=["import", kind, str(path), *extra])


def comments_by_text(db) -> dict[str, Comment]:
    return {comment.body: comment for comment in db.session.scalars(select(Comment))}


def test_a_disqus_export_becomes_threads_and_comments(runner, tmp_path, db):
    result = run(runner, tmp_path, "disqus", DISQUS)
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last == ("imported 5 comments in 2 threads; 2 skipped (comments of an unknown thread: "
                    "1, duplicated ids: 1); 1 reply made top level (parent missing)")
    harbour = db.session.scalar(select(Post).where(
        Post.canonical_url == "https://news.example.com/harbour"))
    assert harbour.title == "Harbour dredging"
    comments = comments_by_text(db)
    first = comments["First line\nsecond line\n\nNew paragraph with bold."]
    assert "<script" not in first.body_html and "alert" not in first.body_html
    assert first.created_at.isoformat().startswith("2019-03-01T09:00:00")
    assert first.status == "approved" and first.author.display_name == "Ann"
    assert first.author.is_imported and first.author.password_hash == ""
    reply = comments["Replying before my parent is listed."]
    assert reply.parent_id == first.id and reply.depth == 1
    assert comments["Buy pills"].status == "spam"
    assert comments["Removed by its author."].status == "deleted"
    orphan = comments["My parent was never exported."]
    assert orphan.parent_id is None and orphan.created_at is not None
    db.session.refresh(harbour)
    assert harbour.comment_count == 2
    assert first.reply_count == 1


def test_the_summary_names_what_was_skipped_and_why(runner, tmp_path):
    result = run(runner, tmp_path, "disqus", DISQUS)
    assert "skipped comment p1: duplicated ids" in result.output
    assert "skipped comment p7: comments of an unknown thread" in result.output
    assert result.output.strip().splitlines()[-1].startswith("imported 5 comments in 2 threads")


def test_importing_twice_changes_nothing(runner, tmp_path, db):
    run(runner, tmp_path, "disqus", DISQUS)
    counts = (db.session.query(Comment).count(), db.session.query(User).count(),
              db.session.query(Post).count())
    again = run(runner, tmp_path, "disqus", DISQUS)
    assert again.output.strip().splitlines()[-1] == (
        "imported 0 comments in 2 threads; 5 already present; 2 skipped (comments of an unknown "
        "thread: 1, duplicated ids: 1)")  # the orphan was made top level the first time only
    assert (db.session.query(Comment).count(), db.session.query(User).count(),
            db.session.query(Post).count()) == counts


def test_a_dry_run_says_what_it_would_do_and_writes_nothing(runner, tmp_path, db):
    result = run(runner, tmp_path, "disqus", DISQUS, "--dry-run")
    assert result.output.strip().splitlines()[-1].startswith("would import 5 comments in 2")
    assert db.session.query(Comment).count() == 0 and db.session.query(Post).count() == 0


def test_entity_expansion_is_refused(runner, tmp_path, db):
    result = run(runner, tmp_path, "disqus", BILLION_LAUGHS)
    assert result.exit_code != 0
    assert "cannot be read safely" in result.output
    assert db.session.query(Post).count() == 0


def test_a_wordpress_export_maps_its_statuses_and_replies(runner, tmp_path, db):
    result = run(runner, tmp_path, "wordpress", WXR)
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("imported 4 comments in 1 thread")
    assert "skipped comment 16: empty comments" in result.output
    comments = comments_by_text(db)
    taxes = comments["Taxes again.\nTwo lines."]
    assert taxes.status == "approved" and taxes.author.display_name == "Eve"
    assert comments["Agreed."].status == "pending" and comments["Agreed."].parent_id == taxes.id
    assert comments["Cheap watches"].status == "spam"
    assert comments["Binned."].status == "deleted"
    assert "Linked to you" not in comments  # pingbacks are not comments


def isso_database(path):
    """An Isso database with Isso's own schema."""
    connection = sqlite3.connect(path)
    connection.executescript("""
        CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
        CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY,
            parent INTEGER, created FLOAT NOT NULL, modified FLOAT, mode INTEGER,
            remote_addr VARCHAR, text VARCHAR, author VARCHAR, email VARCHAR, website VARCHAR,
            likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
            notification INTEGER DEFAULT 0);
        INSERT INTO threads VALUES (1, '/2024/harbour/', 'Harbour dredging');
        INSERT INTO comments VALUES (1, 1, NULL, 1700000000.5, NULL, 1, '127.0.0.0',
            'Isso *markdown* <script>x()</script>', 'Ivy', 'ivy@example.com', '', 0, 0, '', 0);
        INSERT INTO comments VALUES (1, 2, 1, 1700000100, NULL, 2, '', 'Waiting.', NULL, NULL,
            NULL, 0, 0, '', 0);
        INSERT INTO comments VALUES (1, 3, NULL, 1700000200, NULL, 4, '', 'Gone.', 'Jo', NULL,
            NULL, 0, 0, '', 0);
    """)
    connection.commit()
    connection.close()


def test_an_isso_database_imports_with_the_sites_address(runner, tmp_path, db):
    path = tmp_path / "comments.db"
    isso_database(path)
    result = runner.invoke(args=["import", "isso", str(path), "--base-url",
                                 "https://news.example.com"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("imported 3 comments in 1 thread")
    post = db.session.scalar(select(Post))
    assert post.canonical_url == "https://news.example.com/2024/harbour/"
    comments = comments_by_text(db)
    first = comments["Isso *markdown* <script>x()</script>"]
    assert "<script>" not in first.body_html and first.status == "approved"
    assert comments["Waiting."].status == "pending" and comments["Waiting."].parent_id == first.id
    assert comments["Waiting."].author.display_name == "Anonymous"
    assert comments["Gone."].status == "deleted"


@pytest.mark.parametrize("kind", ["disqus", "wordpress"])
def test_a_truncated_file_reports_and_keeps_what_came_before(runner, tmp_path, db, kind):
    text = DISQUS if kind == "disqus" else WXR
    result = run(runner, tmp_path, kind, text[: len(text) * 2 // 3])
    assert result.exit_code != 0 and "cannot be read safely" in result.output


def test_counts_are_right_across_many_batches(runner, tmp_path, db, monkeypatch):
    """A large export commits in batches; the counts the pages show (comments per post, replies
    per comment) must add up to the rows, in batches and after a second run."""
    from bench.import_bench import write_disqus_export

    monkeypatch.setattr(importing, "BATCH_SIZE", 7)
    export = tmp_path / "large.xml"
    written = write_disqus_export(export, megabytes=0.1, comments_per_thread=20)
    result = runner.invoke(args=["import", "disqus", str(export)])
    assert result.exit_code == 0, result.output
    assert result.output.count("comments written") >= written // 7
    rerun = runner.invoke(args=["import", "disqus", str(export)])
    assert f"{written:,} already present" in rerun.output.strip().splitlines()[-1]

    def approved(column):
        return (select(column, func.count()).where(Comment.status == "approved")
                .group_by(column))

    by_post = dict(db.session.execute(approved(Comment.post_id)).all())
    posts = db.session.scalars(select(Post)).all()
    assert sum(by_post.values()) > written // 2 and len(posts) > 2
    assert {post.id: post.comment_count for post in posts if post.comment_count} == by_post
    replies = dict(db.session.execute(approved(Comment.parent_id)
                                      .where(Comment.parent_id.is_not(None))).all())
    assert len(replies) > 10
    assert {comment.id: comment.reply_count for comment in db.session.scalars(
        select(Comment).where(Comment.reply_count > 0))} == replies
