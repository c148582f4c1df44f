"""Configuration classes. `DATABASE_URL` overrides the database everywhere."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _database_url(default_name: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Hosting platforms still hand out the pre-SQLAlchemy-1.4 scheme.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgres://")
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return f"sqlite:///{INSTANCE_DIR / default_name}"


class Config:
    ACADEMY_NAME = os.environ.get("ACADEMY_NAME", "Social Work Academy")
    # The public address (https://academy.example.gov.uk). Every link in an email starts with it (never with
    # the request's Host header); without it no email with a link is sent.
    ACADEMY_BASE_URL = os.environ.get("ACADEMY_BASE_URL", "")
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url("academy.sqlite")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, which expires after 8 hours
    # Sign-in throttling: this many failures for one email or address within the window locks it.
    LOGIN_MAX_FAILURES = 5
    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
    PASSWORD_HASH_METHOD = "scrypt"
    INVITATION_VALID_FOR = timedelta(days=7)
    PASSWORD_RESET_VALID_FOR = timedelta(hours=2)
    # At most this many "forgot your password" links for one account within an hour (the rest are dropped).
    PASSWORD_RESETS_PER_HOUR = 3
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024  # one 10 MB attachment plus the form around it
    # A finished batch's ZIP of progression records is deleted this long after it was built
    # (`flask --app wsgi academy sweep`, run from cron, and whenever a batch is requested).
    REPORTS_BATCH_KEEP = timedelta(days=int(os.environ.get("REPORTS_BATCH_KEEP_DAYS", "7")))
    # CSV imports (cohort enrolment, frameworks): larger files are refused with these figures in the message.
    IMPORT_MAX_ROWS = 5000
    IMPORT_MAX_FIELD_CHARS = 1000
    FRAMEWORK_IMPORT_MAX_FIELD_CHARS = 5000  # an element's description runs to a few paragraphs
    REDIS_URL = os.environ.get("REDIS_URL")
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "").lower() in {"1", "true", "yes"}
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "academy@localhost")
    MAIL_TIMEOUT = 30  # seconds to wait for the mail server
    # Without MAIL_SERVER, outside production, each email is written to the log and kept here for the Outbox page.
    MAIL_OUTBOX_FOLDER = os.environ.get("MAIL_OUTBOX_FOLDER", str(INSTANCE_DIR / "outbox"))
    DEMO_PASSWORD = os.environ.get("ACADEMY_DEMO_PASSWORD", "demo-password-2026")
    IS_PRODUCTION = False


class DevelopmentConfig(Config):
    DEBUG = False
    # `make run` serves here (PORT=8000 make run sets ACADEMY_BASE_URL to match).
    ACADEMY_BASE_URL = os.environ.get("ACADEMY_BASE_URL", "http://127.0.0.1:5000")


class TestConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = (os.environ.get("DATABASE_URL") and _database_url("")) or "sqlite://"
    # A cheap hash keeps the suite fast; production keeps scrypt's default cost.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    SERVER_NAME = None
    ACADEMY_BASE_URL = "http://localhost"
    MAIL_SERVER = None  # tests that send start a real SMTP server and point MAIL_SERVER at it


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    IS_PRODUCTION = True

    def __init__(self) -> None:
        secret = os.environ.get("SECRET_KEY")
        if not secret:
            raise RuntimeError("SECRET_KEY must be set in the environment to run in production.")
        self.SECRET_KEY = secret


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_env() -> Config:
    """The configuration named by ACADEMY_ENV (development by default)."""
    name = os.environ.get("ACADEMY_ENV", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise RuntimeError(f"ACADEMY_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
