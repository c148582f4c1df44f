"""The academy application factory."""

from pathlib import Path

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

ROOT = Path(__file__).resolve().parent.parent

# One blueprint per area of the product; each registers its routes, CLI commands and templates.
BLUEPRINTS = (
    ("academy.accounts", ""),
    ("academy.home", ""),
    ("academy.cohorts", ""),
    ("academy.programmes", ""),
    ("academy.evidence", ""),
    ("academy.frameworks", "/frameworks"),
    ("academy.audit", "/audit"),
    ("academy.assessment", ""),
    ("academy.retention", "/retention"),
    ("academy.reports", ""),
)
# Features whose cli.py adds commands to `flask academy`.
CLI_FEATURES = (
    "academy.accounts",
    "academy.frameworks",
    "academy.demo",
    "academy.cohorts",
    "academy.assessment",
    "academy.reports",
)


def create_app(config: object | None = None) -> Flask:
    """Build the app. `config` is a config object; by default ACADEMY_ENV picks one from config.py."""
    from config import config_from_env

    app = Flask(__name__, instance_path=str(ROOT / "instance"))
    app.config.from_object(config if config is not None else config_from_env())
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _configure_templates(app)
    _register_extensions(app)
    _register_blueprints(app)

    from academy.core.errors import register_error_handlers

    register_error_handlers(app)
    return app


def _configure_templates(app: Flask) -> None:
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

    from academy.core import templating

    templating.init_app(app)


def _register_extensions(app: Flask) -> None:
    from academy import models  # noqa: F401  (every table known to the metadata)
    from academy.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        from academy.core.db import configure_engine

        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        from academy.accounts.models import User

        user = db.session.get(User, int(user_id))
        return user if user is not None and user.is_active else None


def _register_blueprints(app: Flask) -> None:
    import importlib

    from academy.core.cli import academy_cli

    for feature, prefix in BLUEPRINTS:
        routes = importlib.import_module(f"{feature}.routes")
        app.register_blueprint(routes.bp, url_prefix=prefix or None)
    for feature in CLI_FEATURES:
        importlib.import_module(f"{feature}.cli")  # each adds its commands to academy_cli
    app.cli.add_command(academy_cli)
