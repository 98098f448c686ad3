"""`flask export` writes everything as NDJSON; `flask import ndjson` reads it back losslessly."""

from __future__ import annotations

import json

from blog.models import Role
from tests.comments.factories import make_comment
from tests.conftest import empty_all_tables
from tests.factories import make_post, make_user


def conversation(db):
    author = make_user(Role.AUTHOR, display_name="Ada Author")
    reader = make_user(Role.READER, display_name="Rita Reader")
    post = make_post(author, "Harbour dredging", tags=["Local", "Transport"],
                     canonical_url="https://news.example.com/harbour")
    top = make_comment(post, reader, "First, with\ntwo lines.", status="approved")
    make_comment(post, author, "A reply.", parent=top, status="approved")
    make_comment(post, reader, "Held.", status="pending")
    db.session.commit()


def records(path) -> list[dict]:
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0]["type"] == "export"
    return lines[1:]


def comparable(lines: list[dict]) -> list:
    """The export without ids (a new database numbers rows anew): parents by their text."""
    bodies = {line["id"]: line.get("body") for line in lines if line["type"] == "comment"}
    names = {line["id"]: line["display_name"] for line in lines if line["type"] == "user"}
    slugs = {line["id"]: line["slug"] for line in lines if line["type"] == "post"}
    out = []
    for line in lines:
        line = dict(line)
        if line["type"] == "user":
            line.pop("id")
            line.pop("external_issuer"), line.pop("external_subject")
        if line["type"] == "post":
            line.pop("id")
            line["author_id"] = names[line["author_id"]]
        if line["type"] == "comment":
            line.pop("id")
            line["parent_id"] = bodies.get(line["parent_id"])
            line["author_id"] = names[line["author_id"]]
            line["post_id"] = slugs[line["post_id"]]
        out.append(sorted(line.items(), key=str))
    return sorted(out, key=str)


def test_an_export_imports_back_into_an_empty_database_unchanged(app, runner, db, tmp_path,
                                                                  database_url):
    conversation(db)
    first = tmp_path / "first.ndjson"
    assert runner.invoke(args=["export", str(first)]).exit_code == 0
    exported = records(first)
    assert {line["type"] for line in exported} == {"user", "post", "comment"}
    assert all("password" not in key for line in exported for key in line)

    db.session.remove()
    empty_all_tables(database_url)
    result = runner.invoke(args=["import", "ndjson", str(first)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("imported 3 comments in 1 thread")

    second = tmp_path / "second.ndjson"
    runner.invoke(args=["export", str(second)])
    assert comparable(records(second)) == comparable(exported)

    again = runner.invoke(args=["import", "ndjson", str(first)])
    assert again.output.strip().splitlines()[-1].startswith("imported 0 comments in 1 thread; "
                                                             "3 already present")
