"""The news blog's comment and engagement backend: the app factory."""

from __future__ import annotations

import logging

from flask import Flask, request

from config import BASE_DIR, Config, config_from_env

MIGRATIONS_DIR = BASE_DIR / "migrations"


class BlogFlask(Flask):
    """Flask, asking once per function whether it is async.

    Flask asks `inspect.iscoroutinefunction` of every view and hook on every request, a dozen
    times per request here; the answer never changes, so it is remembered.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._sync_functions: dict = {}

    def ensure_sync(self, func):
        try:
            return self._sync_functions[func]
        except KeyError:
            sync = self._sync_functions[func] = super().ensure_sync(func)
            return sync
        except TypeError:  # an unhashable callable
            return super().ensure_sync(func)


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Create the app for `config_class` (default: the class named by BLOG_ENV)."""
    config_class = config_class or config_from_env()
    app = BlogFlask(__name__, instance_relative_config=False)
    app.config.from_object(config_class)
    config_class.init_app(app)
    require_optional_packages(app)
    configure_logging()

    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_request_hooks(app)
    register_cli(app)
    return app


def require_optional_packages(app: Flask) -> None:
    """Refuse to start with a setting whose optional package is missing, rather than fail on the
    first publish."""
    from blog.services import related_semantic

    if app.config.get("RELATED_SEMANTIC") and not related_semantic.available():
        raise RuntimeError("RELATED_SEMANTIC is on but WordLlama is not installed: "
                           f"{related_semantic.INSTALL}")


def configure_logging() -> None:
    """Log the app's own messages at INFO and libraries' at WARNING, to stderr."""
    logging.basicConfig(level=logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("blog").setLevel(logging.INFO)


def register_extensions(app: Flask) -> None:
    from blog import models  # noqa: F401  (every table known to the metadata)
    from blog.database import tune_engine_options
    from blog.extensions import api, csrf, db, limiter, login_manager, migrate
    from blog.services import thread_cache

    tune_engine_options(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login_page"
    csrf.init_app(app)
    limiter.init_app(app)
    api.init_app(app)
    register_cors(app)
    thread_cache.init_app(app)


def register_cors(app: Flask) -> None:
    """Let the configured front-end and embedding origins (only those) call the API."""
    from flask_cors import CORS

    origins = list(dict.fromkeys(app.config["FRONTEND_ORIGINS"] + app.config["EMBED_ORIGINS"]))
    if not origins:
        return
    CORS(
        app,
        resources={r"/api/*": {"origins": origins}},
        supports_credentials=True,
        allow_headers=["Content-Type", "Authorization", "X-CSRF-Token", "Idempotency-Key",
                       "If-None-Match"],
        expose_headers=["ETag", "Retry-After", "Location"],
        max_age=600,
    )

    @app.after_request
    def vary_on_origin(response):
        """Tell caches an API answer depends on Origin (flask-cors omits it for one origin)."""
        if request.path.startswith("/api/"):
            response.vary.add("Origin")
        return response


def register_blueprints(app: Flask) -> None:
    from blog.account import views as account_views
    from blog.admin import dashboard as admin_dashboard  # noqa: F401  (routes on admin_views.bp)
    from blog.admin import views as admin_views
    from blog.admin import webhooks as admin_webhooks  # noqa: F401  (routes on admin_views.bp)
    from blog.auth import api as auth_api
    from blog.auth import password_reset_views
    from blog.auth import views as auth_views
    from blog.comments import api as comments_api
    from blog.comments import views as comments_views
    from blog.comments.demo import register_demo_seeder
    from blog.embed import views as embed_views
    from blog.extensions import api
    from blog.feeds import views as feeds_views
    from blog.follows import api as follows_api
    from blog.follows import views as follows_views
    from blog.follows.demo import register_demo_seeder as register_follows_seeder
    from blog.moderation import api as moderation_api
    from blog.moderation.demo import register_demo_seeder as register_queue_seeder
    from blog.notifications import api as notifications_api
    from blog.notifications import views as notifications_views
    from blog.notifications.web import unread_count_context
    from blog.ops import views as ops_views
    from blog.posts import api as posts_api
    from blog.posts import views as posts_views
    from blog.posts import writing as writing_views
    from blog.subscriptions import api as subscriptions_api
    from blog.subscriptions import views as subscriptions_views
    from blog.urls import IdConverter
    from blog.webhooks import api as webhooks_api

    app.url_map.converters["int"] = IdConverter
    for api_blueprint in (auth_api.bp, posts_api.bp, comments_api.bp, moderation_api.bp,
                          follows_api.bp, notifications_api.bp, subscriptions_api.bp,
                          webhooks_api.bp):
        api.register_blueprint(api_blueprint)
    for blueprint in (auth_views.bp, posts_views.bp, comments_views.bp, ops_views.bp,
                      admin_views.bp, feeds_views.bp, subscriptions_views.bp,
                      notifications_views.bp, embed_views.bp, account_views.bp,
                      password_reset_views.bp, writing_views.bp, follows_views.bp):
        app.register_blueprint(blueprint)
    app.context_processor(unread_count_context)
    register_demo_seeder()
    register_queue_seeder()
    register_follows_seeder()


def register_errors(app: Flask) -> None:
    from blog.api.problems import register_error_handlers

    register_error_handlers(app)


def register_request_hooks(app: Flask) -> None:
    from blog.auth.security import register_security
    from blog.web import register_web_hooks
    from blog.wording import register_wording

    register_security(app)
    register_web_hooks(app)
    register_wording(app)


def register_cli(app: Flask) -> None:
    from blog.cli import register_commands

    register_commands(app)
