"""Settings: read from the environment, with checks production must pass."""

from __future__ import annotations

import importlib
import stat

import pytest

import config
from blog import create_app


@pytest.fixture
def reload_config(monkeypatch):
    """Reload config.py under a patched environment (settings are read at import)."""

    def reload(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(config)

    yield reload
    monkeypatch.undo()
    importlib.reload(config)


@pytest.mark.parametrize(("value", "default", "expected"), [
    (None, True, True),
    (None, False, False),
    ("", True, True),
    ("1", False, True),
    ("true", False, True),
    ("TRUE", False, True),
    (" yes ", False, True),
    ("on", False, True),
    ("0", True, False),
    ("false", True, False),
    ("off", True, False),
    ("no", True, False),
])
def test_env_bool(monkeypatch, value, default, expected):
    if value is None:
        monkeypatch.delenv("BLOG_TEST_FLAG", raising=False)
    else:
        monkeypatch.setenv("BLOG_TEST_FLAG", value)

    assert config.env_bool("BLOG_TEST_FLAG", default) is expected


@pytest.mark.parametrize(("value", "expected"), [
    (None, ["x.example"]),
    ("", ["x.example"]),
    ("https://a.example", ["https://a.example"]),
    ("https://a.example, https://b.example ,", ["https://a.example", "https://b.example"]),
    (" , ", []),
])
def test_env_list(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("BLOG_TEST_LIST", raising=False)
    else:
        monkeypatch.setenv("BLOG_TEST_LIST", value)

    assert config.env_list("BLOG_TEST_LIST", "x.example") == expected


@pytest.mark.parametrize(("value", "expected"), [(None, 7), ("", 7), ("42", 42), (" 5 ", 5)])
def test_env_int_and_env_str(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("BLOG_TEST_INT", raising=False)
    else:
        monkeypatch.setenv("BLOG_TEST_INT", value)

    assert config.env_int("BLOG_TEST_INT", 7) == expected
    assert config.env_str("BLOG_TEST_INT", "d") == (value or "d")


def test_settings_are_read_from_the_environment(reload_config):
    settings = reload_config(
        DATABASE_URL="postgresql+psycopg://db.internal/news",
        SECRET_KEY="from-the-env",
        BASE_URL="https://news.example",
        MAIL_SERVER="smtp.example", MAIL_PORT="587", MAIL_USERNAME="mailer",
        MAIL_PASSWORD="pw", MAIL_USE_TLS="true", MAIL_DEFAULT_SENDER="News <n@news.example>",
        REDIS_URL="redis://cache:6379/0",
        RATELIMIT_ENABLED="false",
        FRONTEND_ORIGINS="https://a.example,https://b.example",
        COMMENT_EDIT_WINDOW_SECONDS="60",
        MODERATION_PREMODERATE_ALL="yes",
    ).Config

    assert settings.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://db.internal/news"
    assert settings.SECRET_KEY == "from-the-env"
    assert settings.BASE_URL == "https://news.example"
    assert (settings.MAIL_SERVER, settings.MAIL_PORT, settings.MAIL_USERNAME,
            settings.MAIL_PASSWORD, settings.MAIL_USE_TLS, settings.MAIL_DEFAULT_SENDER) == (
        "smtp.example", 587, "mailer", "pw", True, "News <n@news.example>")
    assert settings.REDIS_URL == "redis://cache:6379/0"
    assert settings.RATELIMIT_STORAGE_URI == "redis://cache:6379/0"
    assert settings.RATELIMIT_ENABLED is False
    assert settings.FRONTEND_ORIGINS == ["https://a.example", "https://b.example"]
    assert settings.COMMENT_EDIT_WINDOW_SECONDS == 60
    assert settings.MODERATION_PREMODERATE_ALL is True


def test_rate_limit_storage_has_its_own_setting(reload_config):
    settings = reload_config(REDIS_URL="redis://cache:6379/0",
                             RATELIMIT_STORAGE_URI="memory://").Config

    assert settings.RATELIMIT_STORAGE_URI == "memory://"


def test_defaults_without_the_environment(reload_config, monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "SECRET_KEY", "REDIS_URL", "RATELIMIT_STORAGE_URI",
                 "FRONTEND_ORIGINS", "RATELIMIT_ENABLED", "MAX_CONTENT_LENGTH"):
        monkeypatch.delenv(name, raising=False)
    settings = reload_config(BLOG_INSTANCE_PATH=str(tmp_path))
    expected_database = f"sqlite:///{tmp_path}/blog.db"

    database_url = settings.Config.SQLALCHEMY_DATABASE_URI
    assert database_url == expected_database
    assert settings.Config.SECRET_KEY is None
    assert settings.Config.RATELIMIT_STORAGE_URI == "memory://"
    assert settings.Config.RATELIMIT_ENABLED is True
    assert settings.Config.FRONTEND_ORIGINS == []
    assert settings.Config.MAX_CONTENT_LENGTH == 1024 * 1024
    assert settings.ProductionConfig.SESSION_COOKIE_SECURE is True


class NoSecret(config.ProductionConfig):
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = "sqlite://"


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(NoSecret)


def test_production_starts_with_a_secret_key():
    class WithSecret(NoSecret):
        SECRET_KEY = "a real secret"

    app = create_app(WithSecret)

    assert app.config["SECRET_KEY"] == "a real secret"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


class DevNoSecret(config.DevelopmentConfig):
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = "sqlite://"


def test_development_generates_a_key_once_and_keeps_it(monkeypatch, tmp_path):
    instance = tmp_path / "instance"
    monkeypatch.setattr(config, "INSTANCE_DIR", instance)

    first = create_app(DevNoSecret).config["SECRET_KEY"]
    second = create_app(DevNoSecret).config["SECRET_KEY"]

    key_file = instance / "secret_key"
    assert len(first) >= 32
    assert first == second == key_file.read_text().strip()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_development_keeps_a_key_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)

    class DevWithSecret(DevNoSecret):
        SECRET_KEY = "given"

    assert create_app(DevWithSecret).config["SECRET_KEY"] == "given"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(("name", "expected"), [
    (None, "DevelopmentConfig"),
    ("development", "DevelopmentConfig"),
    ("testing", "TestingConfig"),
    ("production", "ProductionConfig"),
])
def test_blog_env_picks_the_config(monkeypatch, name, expected):
    if name is None:
        monkeypatch.delenv("BLOG_ENV", raising=False)
    else:
        monkeypatch.setenv("BLOG_ENV", name)

    assert config.config_from_env().__name__ == expected


def test_an_unknown_blog_env_is_refused(monkeypatch):
    monkeypatch.setenv("BLOG_ENV", "staging")

    with pytest.raises(RuntimeError, match="BLOG_ENV"):
        config.config_from_env()
