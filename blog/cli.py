"""Command-line tools: `flask --app wsgi create-user`, `seed-demo`, and each feature's group."""

from __future__ import annotations

import os

import click
import marshmallow as ma
from flask import Flask

from blog.auth.schemas import RegisterSchema
from blog.extensions import db
from blog.models import Role
from blog.services import accounts
from blog.services.errors import ServiceError


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), default="reader",
              show_default=True)
@click.option("--display-name", default=None, help="Shown with comments (default: from email).")
def create_user_command(email: str, role: str, display_name: str | None) -> None:
    """Create an account; the password comes from BLOG_PASSWORD or a prompt."""
    password = os.environ.get("BLOG_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    fields = {"email": email, "password": password,
              "display_name": display_name or email.split("@")[0]}
    try:
        data = RegisterSchema().load(fields)
        user = accounts.register_user(data["email"], data["password"], data["display_name"], role)
    except ma.ValidationError as error:
        raise click.ClickException(describe_errors(error.messages)) from error
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(describe_errors(error.messages_for(""))) from error
    db.session.commit()
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


def describe_errors(messages: dict) -> str:
    """Turn `{field: [message, ...]}` into one line for the terminal."""
    return "; ".join(f"{field}: {m}".lstrip(": ") for field, ms in messages.items() for m in ms)


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo posts, accounts and comments (safe to run again)."""
    from blog.demo.seed import seed_demo

    demo_accounts = seed_demo()
    db.session.commit()
    click.echo("Demo content is loaded. Sign in with:")
    for account in demo_accounts:
        click.echo(f"  {account.role.value:<10} {account.email:<24} password: {account.password}")


@click.group("related")
def related_group() -> None:
    """Related posts."""


@related_group.command("rebuild")
def related_rebuild_command() -> None:
    """Recompute every post's related posts from the posts' text and tags."""
    from blog.services import related

    with click.progressbar(length=related.rebuild_steps(), label="Related posts") as bar:
        count = related.rebuild(progress=bar.update)
    db.session.commit()
    click.echo(f"Recomputed the related posts of {count} posts.")


def register_commands(app: Flask) -> None:
    from blog.delivery.cli import notifications_group
    from blog.importing.cli import export_command, import_group

    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(related_group)
    app.cli.add_command(notifications_group)
    app.cli.add_command(import_group)
    app.cli.add_command(export_command)
