"""Configuration classes. `DATABASE_URL` overrides the database everywhere."""

import os
import secrets
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
    # Which of the configurations below this is; anything but development and test must be given a
    # strong SECRET_KEY (academy/core/secret_key.py refuses to start otherwise).
    ACADEMY_ENV = "production"
    # Without SECRET_KEY, development makes a random key in SECRET_KEY_FILE on its first start and keeps it.
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SECRET_KEY_FILE = os.environ.get("SECRET_KEY_FILE", str(INSTANCE_DIR / "secret_key"))
    SQLALCHEMY_DATABASE_URI = _database_url("academy.sqlite")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    # A signed-in session lives in the user_session table (the cookie holds only its random token): it
    # ends after this long without a request, and at the latest this long after signing in.
    SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30")))
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")))
    # last_seen_at is written at most this often, not on every request.
    SESSION_TOUCH_INTERVAL = timedelta(minutes=1)
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, which is rotated at sign-in and ends on the server
    # Sign-in throttling slows guessing and never locks anyone out for good. After the free failures, each
    # further attempt must wait a delay that doubles with every failure (from LOGIN_FIRST_DELAY) up to a cap.
    # Per account (failures since its last successful sign-in): a few free failures and a short cap, so
    # others' failures can only slow a named person down. Per address: a larger allowance (an office
    # behind one proxy) and a longer cap, so one machine cannot guess across many accounts.
    LOGIN_FAILURE_WINDOW = timedelta(hours=1)
    LOGIN_FIRST_DELAY = timedelta(seconds=2)
    LOGIN_ACCOUNT_FREE_FAILURES = 5
    LOGIN_ACCOUNT_MAX_DELAY = timedelta(minutes=1)
    LOGIN_ADDRESS_FREE_FAILURES = 20
    LOGIN_ADDRESS_MAX_DELAY = timedelta(minutes=15)
    # How many proxies in front of the app set X-Forwarded-For (werkzeug's ProxyFix). 0: the header is
    # ignored and the connecting address counts, so a visitor cannot choose their address by sending it.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
    PASSWORD_HASH_METHOD = "scrypt"
    PASSWORD_MIN_LENGTH = 12  # NCSC: length, a deny list, no composition rules
    PASSWORD_MAX_LENGTH = 256
    INVITATION_VALID_FOR = timedelta(days=7)
    PASSWORD_RESET_VALID_FOR = timedelta(hours=2)
    # At most this many "forgot your password" links for one account within an hour (the rest are dropped).
    PASSWORD_RESETS_PER_HOUR = 3
    # Outside feedback (issue 20): how long a link works, when its one reminder goes, and the limits.
    FEEDBACK_LINK_VALID_FOR = timedelta(days=int(os.environ.get("FEEDBACK_LINK_VALID_DAYS", "21")))
    FEEDBACK_REMIND_BEFORE = timedelta(days=7)
    FEEDBACK_VISITS_PER_LINK_PER_HOUR = 30
    FEEDBACK_VISITS_PER_ADDRESS_PER_HOUR = 120
    FEEDBACK_REQUESTS_PER_EMAIL_PER_DAY = 3
    FEEDBACK_MAX_SENDS = 3  # the first email and two more "send again"
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024  # one 10 MB attachment plus the form around it
    # A finished batch's ZIP of progression records is deleted this long after it was built
    # (`flask --app wsgi academy sweep`, run from cron, and whenever a batch is requested).
    REPORTS_BATCH_KEEP = timedelta(days=int(os.environ.get("REPORTS_BATCH_KEEP_DAYS", "7")))
    # CSV imports (cohort enrolment, frameworks): larger files are refused with these figures in the message.
    IMPORT_MAX_ROWS = 5000
    IMPORT_MAX_FIELD_CHARS = 1000
    # A cohort import confirmed with more people than this is written by a background job (RQ with
    # REDIS_URL, else a worker process), whose page shows its progress: a large one outlasts a web worker.
    IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "200"))
    IMPORT_JOB_RUNNER = "background"
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
    # The demo academy's password: known to everyone who read the README, so only development and test
    # may seed accounts with it (the demo command refuses elsewhere).
    DEMO_PASSWORD: str | None = os.environ.get("ACADEMY_DEMO_PASSWORD", "demo-password-2026")
    IS_PRODUCTION = False


class DevelopmentConfig(Config):
    ACADEMY_ENV = "development"
    DEBUG = False
    # `make run` serves here (PORT=8000 make run sets ACADEMY_BASE_URL to match).
    ACADEMY_BASE_URL = os.environ.get("ACADEMY_BASE_URL", "http://127.0.0.1:5000")


class TestConfig(Config):
    ACADEMY_ENV = "test"
    TESTING = True
    # A fresh random key per test run: nothing a test signs can be replayed against another app.
    SECRET_KEY = secrets.token_hex(32)
    SQLALCHEMY_DATABASE_URI = (os.environ.get("DATABASE_URL") and _database_url("")) or "sqlite://"
    # A cheap hash keeps the suite fast; production keeps scrypt's default cost.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    SERVER_NAME = None
    ACADEMY_BASE_URL = "http://localhost"
    MAIL_SERVER = None  # tests that send start a real SMTP server and point MAIL_SERVER at it
    # Progression records render in the request: the rolled-back test session is invisible to other
    # processes. Tests of the background rendering set "background" on an app with committed data.
    REPORTS_RECORD_RUNNER = "inline"
    IMPORT_JOB_RUNNER = "inline"  # the same for background cohort imports


class ProductionConfig(Config):
    ACADEMY_ENV = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    IS_PRODUCTION = True
    DEMO_PASSWORD = None  # no account may be given the README's password here

    def __init__(self) -> None:
        # Read when chosen, not when this module is imported; create_app checks the key is strong enough.
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or None


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
