"""Domain errors, raised by services and shown to people by views; the HTML error pages."""

from flask import Flask, current_app, g, render_template
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from academy.extensions import db, login_manager


class DomainError(Exception):
    """A rule of the domain refused the request; the message says why, in plain words."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """A state change that the state machine does not allow from the current state."""


class NotAllowed(DomainError):
    """The person is signed in but may not do this."""


def render_error_page(template: str, status: int, **context):
    """An error page that reads nothing from the database.

    Flask-Login's template context loads the signed-in person on every render; when that load is what
    failed (or has not happened), the page is drawn for an anonymous visitor instead of failing again.
    """
    if "_login_user" not in g:
        g._login_user = login_manager.anonymous_user()
    return render_template(template, **context), status


def register_error_handlers(app: Flask) -> None:
    """Render 403, 404, 409 (a save that met another), 413, 500 and 503 in the site's own style.

    The error pages (templates/errors/_layout.html) read nothing from the database, not even the
    signed-in person, so they still render when the database is what failed.
    """

    def render(error: HTTPException):
        template = f"errors/{error.code}.html" if error.code in {403, 404, 413} else "errors/500.html"
        return render_error_page(template, error.code or 500, error=error)

    for code in (403, 404, 413):
        app.register_error_handler(code, render)

    @app.errorhandler(StaleDataError)
    def saved_meanwhile(error: StaleDataError):
        # A versioned record's UPDATE matched no row outside run_service: someone saved it first.
        db.session.rollback()
        return render_error_page("errors/409.html", 409)

    @app.errorhandler(500)
    def server_error(error):
        return render_error_page("errors/500.html", 500)

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        # The database refused the connection or went away mid-request: say so, and that it is passing.
        current_app.logger.error("The database could not be reached: %s", error.orig or error)
        return render_error_page("errors/503.html", 503)
