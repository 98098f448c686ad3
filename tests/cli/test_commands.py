"""The operators' commands: create-user and seed-demo."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Post, Tag, User
from blog.services import accounts


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("role", ["reader", "author", "moderator", "admin"])
def test_create_user_takes_the_password_from_the_environment(runner, role):
    result = runner.invoke(
        args=["create-user", "Editor@Example.com", "--role", role, "--display-name", "Ed Itor"],
        env={"BLOG_PASSWORD": "a strong password"},
    )

    assert result.exit_code == 0, result.output
    assert "editor@example.com" in result.output
    db.session.remove()
    user = accounts.authenticate("editor@example.com", "a strong password")
    assert (user.role, user.display_name) == (role, "Ed Itor")


def test_create_user_prompts_without_the_environment_variable(runner):
    result = runner.invoke(args=["create-user", "p@example.com"], env={"BLOG_PASSWORD": ""},
                           input="prompted password\nprompted password\n")

    assert result.exit_code == 0, result.output
    db.session.remove()
    assert accounts.authenticate("p@example.com", "prompted password").display_name == "p"


@pytest.mark.parametrize(("args", "password"), [
    (["create-user", "dup@example.com"], "a strong password"),
    (["create-user", "DUP@example.com", "--role", "admin"], "a strong password"),
])
def test_create_user_refuses_a_duplicate(runner, args, password):
    env = {"BLOG_PASSWORD": "a strong password"}
    assert runner.invoke(args=["create-user", "dup@example.com"], env=env).exit_code == 0

    result = runner.invoke(args=args, env={"BLOG_PASSWORD": password})

    assert result.exit_code != 0
    assert "already exists" in result.output
    db.session.remove()
    assert count(User) == 1


@pytest.mark.parametrize("args", [
    ["create-user", "weak@example.com"],
    ["create-user", "bad@example.com", "--role", "emperor"],
])
def test_create_user_refuses_bad_input(runner, args):
    result = runner.invoke(args=args, env={"BLOG_PASSWORD": "short"})

    assert result.exit_code != 0
    db.session.remove()
    assert count(User) == 0


@pytest.mark.parametrize(("args", "message"), [
    (["create-user", "not-an-email"], "email"),
    (["create-user", "rtl@example.com", "--display-name", "Admin\u202etset"], "display_name"),
    (["create-user", "zw@example.com", "--display-name", "Mo\u200bderator"], "display_name"),
])
def test_create_user_validates_like_sign_up(runner, args, message):
    result = runner.invoke(args=args, env={"BLOG_PASSWORD": "long enough password"})

    assert result.exit_code != 0
    assert message in result.output
    db.session.remove()
    assert count(User) == 0


def test_seed_demo_loads_the_demo_and_prints_the_accounts(runner):
    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 0, result.output
    db.session.remove()
    assert count(Post) == 12
    assert count(User) == 4
    assert 4 <= count(Tag) <= 6
    for email, password in [("author@example.com", "author-demo-pass"),
                            ("moderator@example.com", "moderator-demo-pass"),
                            ("reader@example.com", "reader-demo-pass"),
                            ("reader2@example.com", "reader2-demo-pass")]:
        assert email in result.output and password in result.output
        assert accounts.authenticate(email, password) is not None


def test_seed_demo_is_idempotent(runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.remove()
    first = (count(Post), count(User), count(Tag))
    slugs = [item["slug"] for item in client.get("/api/v1/posts?limit=100").get_json()["items"]]

    second_run = runner.invoke(args=["seed-demo"])

    assert second_run.exit_code == 0, second_run.output
    db.session.remove()
    assert (count(Post), count(User), count(Tag)) == first == (12, 4, first[2])
    again = [item["slug"] for item in client.get("/api/v1/posts?limit=100").get_json()["items"]]
    assert again == slugs
