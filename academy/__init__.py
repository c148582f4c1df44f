"""The academy application factory."""

import importlib
from pathlib import Path

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from academy import (
    models,  # noqa: F401  (every table known to the metadata)
    templating,
)
from academy.core import headers
from academy.core.cli import academy_cli
from academy.core.db import configure_engine
from academy.core.errors import register_error_handlers
from academy.core.secret_key import configure_secret_key
from academy.core.web import IdConverter
from academy.extensions import csrf, db, login_manager, migrate
from config import config_from_env  # the top-level config.py beside wsgi.py

ROOT = Path(__file__).resolve().parent.parent

# One package per area of the product, lowest layer first (see docs/architecture.md). Each has its
# blueprint in `__init__.py` and its views in `routes` (a module or a package). `url_prefix` is None
# where the feature's routes carry their full paths.
FEATURES: tuple[tuple[str, str | None], ...] = (
    ("accounts", None),
    ("audit", "/audit"),
    ("notifications", None),
    ("programmes", None),
    ("frameworks", "/frameworks"),
    ("participants", None),
    ("logs", None),
    ("evidence", None),
    ("feedback", None),
    ("assessment", None),
    ("cohorts", None),
    ("reports", None),
    ("retention", "/retention"),
    ("funding", None),
    ("home", None),
)
# Packages that add commands to `flask academy` from their `cli.py`.
CLI_FEATURES = (
    "audit",
    "accounts",
    "notifications",
    "frameworks",
    "cohorts",
    "feedback",
    "reports",
    "retention",
    "home",
    "demo",
)


def create_app(config: object | None = None) -> Flask:
    """Build the app. `config` is a config object; by default ACADEMY_ENV picks one from config.py."""
    app = Flask(__name__, instance_path=str(ROOT / "instance"))
    app.config.from_object(config if config is not None else config_from_env())
    configure_secret_key(app)  # before anything else: no app runs on a missing or weak key
    app.url_map.converters["int"] = IdConverter  # before any route is added: ids the database can hold
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _trust_proxies(app)

    # Background workers build their own app from the same factory (without importing this package).
    app.extensions["academy.factory"] = create_app
    _register_extensions(app)
    _register_features(app)
    register_error_handlers(app)
    headers.init_app(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For (and -Proto) only from the TRUSTED_PROXY_COUNT proxies in front of the app;
    with none configured the header is ignored, so a visitor cannot pick the address that sign-in
    throttling counts."""
    proxies = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]


def _configure_templates(app: Flask, policies: list) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    templating.init_app(app, policies)


def _register_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    # The user loader and the session checks are in accounts/routes.py: the cookie holds a session token.


def _register_features(app: Flask) -> None:
    """Blueprints, their views and commands, and every feature's policies as Jinja globals."""
    policies = []
    for name, prefix in FEATURES:
        feature = importlib.import_module(f"academy.{name}")
        importlib.import_module(f"academy.{name}.routes")  # adds the views to the blueprint
        app.register_blueprint(feature.bp, url_prefix=prefix)
        try:
            policies.append(importlib.import_module(f"academy.{name}.policies"))
        except ModuleNotFoundError as missing:
            if missing.name != f"academy.{name}.policies":
                raise
    for name in CLI_FEATURES:
        importlib.import_module(f"academy.{name}.cli")  # each adds its commands to academy_cli
    app.cli.add_command(academy_cli)
    _configure_templates(app, policies)
