"""The product under test: its database (SQLite, or a PostgreSQL schema of its own) and server."""

from __future__ import annotations

import secrets
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

REPO_ROOT = Path(__file__).resolve().parent.parent


def database_label(url: str) -> str:
    return "PostgreSQL" if make_url(url).get_backend_name() == "postgresql" else "SQLite"


@contextmanager
def sqlite_database(work_dir: Path) -> Iterator[str]:
    yield f"sqlite:///{work_dir / 'blog.db'}"


@contextmanager
def postgresql_database(base_url: str) -> Iterator[str]:
    """Yield a URL to a fresh schema of `base_url`'s database; drop the schema afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def scratch_database(base_url: str | None) -> Iterator[str]:
    """Yield a database of the run's own: a fresh PostgreSQL schema when `base_url` names
    PostgreSQL, else a SQLite file in a temporary folder; either is removed afterwards."""
    if base_url and make_url(base_url).get_backend_name() == "postgresql":
        with postgresql_database(base_url) as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as work_dir, sqlite_database(Path(work_dir)) as url:
        yield url


def server_env(database_url: str, secret_key: str) -> dict[str, str]:
    """Return the product's settings for the benchmark: production, no rate limits, and the
    moderation rules that hold a new account's comments off, as Isso runs with moderation off
    (so posted comments are approved and do all an approved comment does)."""
    return {
        "BLOG_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "RATELIMIT_ENABLED": "false",
        "RATELIMIT_STORAGE_URI": "memory://",
        "REDIS_URL": "",
        "MODERATION_NEW_USER_APPROVED": "0",
    }


def server_command(bind: str, workers: int) -> list[str]:
    from bench.servers import gunicorn_args

    return [sys.executable, "-m", "gunicorn", *gunicorn_args(bind, workers), "wsgi:app"]


def new_secret_key() -> str:
    return secrets.token_hex(32)


@contextmanager
def app_context(database_url: str, secret_key: str):
    """Push an app context of the product on `database_url` (for seeding and checks)."""
    from blog import create_app
    from blog.extensions import db
    from config import ProductionConfig

    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": secret_key,
                "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://"}
    app = create_app(type("BenchConfig", (ProductionConfig,), settings))
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


@contextmanager
def scratch_app(base_url: str | None, **settings):
    """Push an app context of the product (test settings, plus `settings`) on a scratch database
    of its own (`scratch_database`) whose tables are created; everything is dropped afterwards."""
    from blog import create_app
    from blog.extensions import db
    from blog.models import Base
    from config import TestingConfig

    with scratch_database(base_url) as url:
        config = type("BenchConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url,
                                                         **settings})
        app = create_app(config)
        with app.app_context():
            Base.metadata.create_all(db.engine)
            try:
                yield app
            finally:
                db.session.rollback()
                db.session.close()
                db.engine.dispose()  # before the PostgreSQL schema is dropped


def rebuild_related(app) -> str:
    """Run `flask related rebuild` when the product has it (the related-posts feature)."""
    if "related" not in app.cli.commands:
        return "no `related` command: related posts not precomputed"
    result = app.test_cli_runner().invoke(args=["related", "rebuild"])
    if result.exit_code != 0:
        raise RuntimeError(f"related rebuild failed: {result.output}")
    return "related rebuild done"


def statuses_of(slug: str) -> dict[str, int]:
    """Count the comments of post `slug` by status (were the benchmark's POSTs approved?)."""
    from blog.extensions import db
    from blog.models import Comment, Post

    statement = (select(Comment.status, func.count()).join(Post, Comment.post_id == Post.id)
                 .where(Post.slug == slug).group_by(Comment.status))
    return dict(db.session.execute(statement).all())
