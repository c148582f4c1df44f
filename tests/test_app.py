"""The application factory, configuration and error pages."""

import secrets

import pytest

from academy import create_app
from config import ProductionConfig, TestConfig, config_from_env


def test_production_config_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app(ProductionConfig())


def test_production_config_uses_secure_cookies(monkeypatch):
    key = secrets.token_hex(32)
    monkeypatch.setenv("SECRET_KEY", key)
    config = ProductionConfig()
    assert config.SESSION_COOKIE_SECURE is True
    assert config.SESSION_COOKIE_HTTPONLY is True
    assert config.SESSION_COOKIE_SAMESITE == "Lax"
    assert key == config.SECRET_KEY


def test_database_url_overrides_the_default_everywhere(monkeypatch):
    import importlib

    import config as config_module

    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.internal:5432/academy")
    reloaded = importlib.reload(config_module)
    try:
        assert reloaded.Config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://someone@db.internal:5432/academy"
    finally:
        monkeypatch.delenv("DATABASE_URL")
        importlib.reload(config_module)


def test_default_database_is_a_sqlite_file_under_instance(monkeypatch):
    import importlib

    import config as config_module

    saved = dict(__import__("os").environ)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    reloaded = importlib.reload(config_module)
    try:
        uri = reloaded.DevelopmentConfig.SQLALCHEMY_DATABASE_URI
        assert uri.startswith("sqlite:///")
        assert uri.endswith("instance/academy.sqlite")
    finally:
        if "DATABASE_URL" in saved:
            monkeypatch.setenv("DATABASE_URL", saved["DATABASE_URL"])
        importlib.reload(config_module)


def test_unknown_environment_name_is_refused(monkeypatch):
    monkeypatch.setenv("ACADEMY_ENV", "staging-ish")
    with pytest.raises(RuntimeError, match="ACADEMY_ENV"):
        config_from_env()


def test_missing_page_shows_the_styled_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html
    assert "govuk-template" in html


def test_pages_carry_the_academy_name_and_no_gov_uk_branding(client):
    html = client.get("/sign-in").get_data(as_text=True)
    assert "Social Work Academy" in html
    assert "govuk-header__logo" not in html
    assert "Crown copyright" not in html
    assert "GOV.UK" not in html


def test_server_error_page_is_styled(tmp_path):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'e.sqlite'}"
    config.PROPAGATE_EXCEPTIONS = False
    app = create_app(config)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)
