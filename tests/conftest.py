"""Fixtures: the app on a scratch database, clients signed in per role, and factories."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from blog import create_app
from blog.extensions import db as _db
from blog.models import Base, Role
from config import TestingConfig
from tests.database import is_postgresql, scratch_database
from tests.factories import PASSWORD, ApiClient, make_user
from tests.notifications.helpers import Mailbox, SmtpServer

pytest_plugins = ["tests.browser_support"]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """Create every table once per test run, in a database (or schema) of the run's own."""
    with scratch_database(tmp_path_factory.mktemp("db")) as url:
        engine = create_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        yield url


def empty_all_tables(url: str) -> None:
    engine = _db.engine
    tables = list(reversed(Base.metadata.sorted_tables))
    with engine.begin() as connection:
        if is_postgresql(url):
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def app(database_url, tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        INSTANCE_PATH = str(tmp_path)

    app = create_app(Config)
    with app.app_context():
        yield app
        _db.session.remove()
        empty_all_tables(database_url)
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app) -> ApiClient:
    app.test_client_class = ApiClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def signed_in_client(app, user) -> ApiClient:
    app.test_client_class = ApiClient
    client = app.test_client()
    client.sign_in(user.email, PASSWORD)
    client.user = user
    return client


@pytest.fixture
def reader(db):
    return make_user(role=Role.READER, display_name="Rita Reader")


@pytest.fixture
def other_reader(db):
    return make_user(role=Role.READER, display_name="Otto Other")


@pytest.fixture
def author(db):
    return make_user(role=Role.AUTHOR, display_name="Ada Author")


@pytest.fixture
def moderator(db):
    return make_user(role=Role.MODERATOR, display_name="Mo Moderator")


@pytest.fixture
def admin(db):
    return make_user(role=Role.ADMIN, display_name="Al Admin")


@pytest.fixture
def reader_client(app, reader):
    return signed_in_client(app, reader)


@pytest.fixture
def other_reader_client(app, other_reader):
    return signed_in_client(app, other_reader)


@pytest.fixture
def author_client(app, author):
    return signed_in_client(app, author)


@pytest.fixture
def moderator_client(app, moderator):
    return signed_in_client(app, moderator)


@pytest.fixture
def admin_client(app, admin):
    return signed_in_client(app, admin)


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def smtp(app, mailbox):
    """Start an SMTP server on a free loopback port and point the app's MAIL_* at it."""
    server = SmtpServer(mailbox)
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield server
    server.stop()
