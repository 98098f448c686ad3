"""Settings, read from environment variables with a default for each.

Every setting is documented in README.md ("Configuration"). `create_app` picks the class named by
`BLOG_ENV` (development, testing, production); tests pass `TestingConfig` directly.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("BLOG_INSTANCE_PATH", BASE_DIR / "instance"))


def env_str(name: str, default: str | None = None) -> str | None:
    """Return the environment variable `name`, or `default` when unset or empty."""
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_int(name: str, default: int) -> int:
    return int(env_str(name, str(default)))


def env_float(name: str, default: float) -> float:
    return float(env_str(name, str(default)))


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env_str(name, default) or "").split(",") if item.strip()]


def sqlite_url(filename: str) -> str:
    return f"sqlite:///{INSTANCE_DIR / filename}"


def development_secret_key() -> str:
    """Return a secret key generated once and kept under instance/, so sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    BLOG_ENV = "base"
    SECRET_KEY = env_str("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = env_str("DATABASE_URL", sqlite_url("blog.db"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    #: Absolute base for links in emails and feeds; empty means "the host of the request".
    BASE_URL = env_str("BASE_URL", "")
    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 1024 * 1024)
    #: Longest path plus query string, in characters: longer gets 414. Keep it below gunicorn's
    #: limit_request_line (gunicorn.conf.py, GUNICORN_LIMIT_REQUEST_LINE).
    MAX_URL_LENGTH = env_int("MAX_URL_LENGTH", 8000)

    MAIL_SERVER = env_str("MAIL_SERVER", "")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USERNAME = env_str("MAIL_USERNAME", "")
    MAIL_PASSWORD = env_str("MAIL_PASSWORD", "")
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_DEFAULT_SENDER = env_str("MAIL_DEFAULT_SENDER", "Newsroom <no-reply@localhost>")
    MAIL_TIMEOUT_SECONDS = env_int("MAIL_TIMEOUT_SECONDS", 30)
    #: Where emails go when MAIL_SERVER is empty (besides the log); empty: instance/mail/.
    MAIL_FILE_DIR = env_str("MAIL_FILE_DIR", "")
    #: Temporary failures retry after base, 2 x base, 4 x base ... seconds, up to the max.
    MAIL_RETRY_BASE_SECONDS = env_int("MAIL_RETRY_BASE_SECONDS", 60)
    MAIL_RETRY_MAX_SECONDS = env_int("MAIL_RETRY_MAX_SECONDS", 6 * 3600)
    MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 10)
    #: Permanent failures (5xx) to one address before it is suppressed.
    MAIL_BOUNCE_LIMIT = env_int("MAIL_BOUNCE_LIMIT", 3)
    #: A message claimed this long ago by a worker that never finished is sent again.
    MAIL_SEND_LEASE_SECONDS = env_int("MAIL_SEND_LEASE_SECONDS", 300)
    #: Messages a worker sends before it looks at new events again.
    MAIL_BATCH_SIZE = env_int("MAIL_BATCH_SIZE", 50)
    NOTIFICATIONS_EVENT_BATCH = env_int("NOTIFICATIONS_EVENT_BATCH", 20)
    NOTIFICATIONS_POLL_SECONDS = env_int("NOTIFICATIONS_POLL_SECONDS", 2)
    #: Visitors' email subscriptions: confirmation links expire; confirmation emails to one
    #: address are limited to SUBSCRIPTION_CONFIRM_LIMIT per window.
    SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS = env_int("SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS",
                                                   7 * 24 * 3600)
    SUBSCRIPTION_CONFIRM_LIMIT = env_int("SUBSCRIPTION_CONFIRM_LIMIT", 3)
    SUBSCRIPTION_CONFIRM_WINDOW_SECONDS = env_int("SUBSCRIPTION_CONFIRM_WINDOW_SECONDS", 24 * 3600)
    RATELIMIT_SUBSCRIBE = env_str("RATELIMIT_SUBSCRIBE", "10 per minute;100 per hour")

    REDIS_URL = env_str("REDIS_URL", "")
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = env_str("RATELIMIT_STORAGE_URI", env_str("REDIS_URL", "memory://"))
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = env_str("RATELIMIT_LOGIN", "10 per minute;100 per hour")
    #: Sign-in attempts per account, whatever the address: slows attacks spread over many.
    RATELIMIT_LOGIN_ACCOUNT = env_str("RATELIMIT_LOGIN_ACCOUNT", "10 per minute;60 per hour")
    RATELIMIT_REGISTER = env_str("RATELIMIT_REGISTER", "5 per minute;30 per hour")
    #: Password reset: a link lives this many seconds; asking for one is limited per client
    #: address (RATELIMIT_PASSWORD_RESET, also for setting the new password) and per email
    #: address asked for (RATELIMIT_PASSWORD_RESET_ADDRESS), known or not.
    PASSWORD_RESET_MAX_AGE = env_int("PASSWORD_RESET_MAX_AGE", 3600)
    RATELIMIT_PASSWORD_RESET = env_str("RATELIMIT_PASSWORD_RESET", "5 per minute;30 per hour")
    RATELIMIT_PASSWORD_RESET_ADDRESS = env_str("RATELIMIT_PASSWORD_RESET_ADDRESS",
                                               "3 per hour;10 per day")

    FRONTEND_ORIGINS = env_list("FRONTEND_ORIGINS")
    #: Host sites that embed the comments (/embed.js): CORS for the API, and auto-created threads.
    EMBED_ORIGINS = env_list("EMBED_ORIGINS")
    #: Let anyone on an EMBED_ORIGINS page create the thread of a new article (PUT /threads).
    EMBED_AUTO_CREATE = env_bool("EMBED_AUTO_CREATE", False)
    RATELIMIT_EMBED_THREADS = env_str("RATELIMIT_EMBED_THREADS", "10 per minute;200 per hour")
    #: Single sign-on with the host site's accounts: a JWT signed with SSO_SECRET (HS256) or
    #: with the private key matching SSO_PUBLIC_KEY (PEM, RS256 or ES256).
    SSO_SECRET = env_str("SSO_SECRET", "")
    SSO_PUBLIC_KEY = env_str("SSO_PUBLIC_KEY", "")
    SSO_ISSUER = env_str("SSO_ISSUER", "")
    SSO_AUDIENCE = env_str("SSO_AUDIENCE", "")
    SSO_MAX_AGE_SECONDS = env_int("SSO_MAX_AGE_SECONDS", 600)
    RATELIMIT_SSO = env_str("RATELIMIT_SSO", "20 per minute;300 per hour")
    COMMENT_EDIT_WINDOW_SECONDS = env_int("COMMENT_EDIT_WINDOW_SECONDS", 15 * 60)
    #: Comments one account may post (API and form together), in Flask-Limiter's notation.
    COMMENT_RATE_LIMIT = env_str("COMMENT_RATE_LIMIT", "5 per minute;50 per hour")
    #: Deepest reply level (0 is top-level); a reply to a comment at the cap becomes its sibling.
    COMMENT_MAX_DEPTH = env_int("COMMENT_MAX_DEPTH", 6)
    MODERATION_PREMODERATE_ALL = env_bool("MODERATION_PREMODERATE_ALL", False)
    #: Related posts only within this many days of a post's publication; 0 means no limit.
    RELATED_MAX_AGE_DAYS = env_int("RELATED_MAX_AGE_DAYS", 0)
    #: Add sentence-embedding similarity to related posts (needs requirements-semantic.txt;
    #: run `flask related rebuild` after turning it on, so that every post has an embedding).
    RELATED_SEMANTIC = env_bool("RELATED_SEMANTIC", False)
    #: A user's comments are held until this many of theirs have been approved.
    MODERATION_NEW_USER_APPROVED = env_int("MODERATION_NEW_USER_APPROVED", 2)
    #: Trusted (approved unless a hard rule fires): this many approved comments ...
    MODERATION_TRUSTED_APPROVED = env_int("MODERATION_TRUSTED_APPROVED", 5)
    #: ... and none of theirs marked spam in this many days.
    MODERATION_TRUSTED_SPAM_DAYS = env_int("MODERATION_TRUSTED_SPAM_DAYS", 30)
    #: More links than this holds a comment.
    MODERATION_MAX_LINKS = env_int("MODERATION_MAX_LINKS", 2)
    #: Comma-separated domains (and their subdomains); a link to one marks the comment spam.
    MODERATION_BLOCKED_DOMAINS = env_list("MODERATION_BLOCKED_DOMAINS")
    #: Comma-separated words or phrases that mark a comment spam (case- and accent-insensitive).
    MODERATION_BANNED_WORDS = env_list("MODERATION_BANNED_WORDS")
    #: Comma-separated words or phrases that hold a comment for a moderator.
    MODERATION_SUSPECT_WORDS = env_list("MODERATION_SUSPECT_WORDS")
    #: The same text from the same user again within this many seconds is held.
    MODERATION_REPEAT_WINDOW_SECONDS = env_int("MODERATION_REPEAT_WINDOW_SECONDS", 24 * 3600)
    #: A comment whose toxicity score (0..1, blog.services.toxicity) reaches this is held for a
    #: moderator with the signal `toxicity`, whoever wrote it; 0 turns the hold off.
    MODERATION_TOXICITY_HOLD = env_float("MODERATION_TOXICITY_HOLD", 0.9)
    #: A score reaching this marks the comment spam instead; 0 (the default) never does.
    MODERATION_TOXICITY_SPAM = env_float("MODERATION_TOXICITY_SPAM", 0)
    #: Refuse, once, a comment the score would hold (422 with a message and a `nudge_token`),
    #: so that its author may rephrase it; sent again as it is, it goes to the queue.
    MODERATION_TOXICITY_NUDGE = env_bool("MODERATION_TOXICITY_NUDGE", False)
    #: Akismet's API key: set, every new comment (but trusted readers') is checked there.
    AKISMET_API_KEY = env_str("AKISMET_API_KEY")
    #: Where Akismet requests go (an Akismet-compatible service, or a test server).
    AKISMET_API_URL = env_str("AKISMET_API_URL", "https://rest.akismet.com")
    #: Longest wait for Akismet; past it the comment is held for a moderator, never lost.
    AKISMET_TIMEOUT_SECONDS = env_float("AKISMET_TIMEOUT_SECONDS", 2.0)
    #: Let webhook endpoints resolve to loopback, private, link-local or reserved addresses
    #: (a test receiver, an intranet chat); off, such URLs are refused (no SSRF by webhook).
    WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)
    #: Longest wait for an endpoint's answer; past it the attempt counts as failed.
    WEBHOOKS_TIMEOUT_SECONDS = env_float("WEBHOOKS_TIMEOUT_SECONDS", 5.0)
    #: Attempts per delivery before it is given up (failed), with backoff in between.
    WEBHOOKS_MAX_ATTEMPTS = env_int("WEBHOOKS_MAX_ATTEMPTS", 8)
    #: The first retry's delay; it doubles each attempt, up to WEBHOOKS_RETRY_MAX_SECONDS.
    WEBHOOKS_RETRY_BASE_SECONDS = env_int("WEBHOOKS_RETRY_BASE_SECONDS", 30)
    WEBHOOKS_RETRY_MAX_SECONDS = env_int("WEBHOOKS_RETRY_MAX_SECONDS", 6 * 3600)
    #: Failed attempts in a row (no success between) that disable an endpoint; admins are told.
    WEBHOOKS_DISABLE_AFTER = env_int("WEBHOOKS_DISABLE_AFTER", 20)
    #: A delivery claimed this long ago by a worker that never settled it is sent again
    #: (same webhook-id), so a killed worker loses nothing.
    WEBHOOKS_SEND_LEASE_SECONDS = env_int("WEBHOOKS_SEND_LEASE_SECONDS", 120)
    #: Longest a worker run spends sending webhooks before it sends the due emails; what is
    #: left waits for the next run, so a slow endpoint cannot hold up email.
    WEBHOOKS_RUN_SECONDS = env_float("WEBHOOKS_RUN_SECONDS", 10.0)
    #: Webhook requests a worker has in flight at once (one per endpoint), so that a slow
    #: endpoint holds up only its own deliveries.
    WEBHOOKS_CONCURRENCY = env_int("WEBHOOKS_CONCURRENCY", 8)
    #: Distinct readers' flags that take an approved comment out of public view.
    MODERATION_FLAG_THRESHOLD = env_int("MODERATION_FLAG_THRESHOLD", 3)
    #: Seconds anonymous readers (and shared caches) may reuse a public JSON answer.
    PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 10)
    #: Bytes of anonymous thread pages each worker process keeps (keyed by the thread's
    #: version, so never stale); 0 turns the memo off.
    THREAD_CACHE_BYTES = env_int("THREAD_CACHE_BYTES", 32 * 1024 * 1024)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # CSRF (Flask-WTF): checked by blog.auth.csrf for cookie-authenticated unsafe requests only.
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_HEADERS = ["X-CSRF-Token"]
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = False

    # OpenAPI (flask-smorest)
    API_TITLE = "Newsroom comments API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    JSON_SORT_KEYS = False

    @classmethod
    def init_app(cls, app) -> None:
        """Finish settings that depend on the app or must be checked before serving."""


class DevelopmentConfig(Config):
    BLOG_ENV = "development"

    @classmethod
    def init_app(cls, app) -> None:
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = development_secret_key()


class TestingConfig(Config):
    BLOG_ENV = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = env_str("TEST_DATABASE_URL", sqlite_url("test.db"))
    RATELIMIT_ENABLED = env_bool("TEST_RATELIMIT_ENABLED", False)
    RATELIMIT_STORAGE_URI = "memory://"
    BASE_URL = "http://blog.test"
    PASSWORD_HASH_PROFILE = "cheapest"
    PUBLIC_CACHE_SECONDS = 10


class ProductionConfig(Config):
    BLOG_ENV = "production"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def init_app(cls, app) -> None:
        """Refuse to start production without the settings that must not have defaults."""
        if not app.config.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """Return the config class named by BLOG_ENV (default: development)."""
    name = env_str("BLOG_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"BLOG_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
