"""Domain errors, raised by services and shown to people by views; the HTML error pages."""

from flask import Flask, render_template
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from academy.extensions import db


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


def register_error_handlers(app: Flask) -> None:
    """Render 403, 404, 409 (a save that met another), 413 and 500 in the site's own style."""

    def render(error: HTTPException):
        template = f"errors/{error.code}.html" if error.code in {403, 404, 413} else "errors/500.html"
        return render_template(template, error=error), error.code

    for code in (403, 404, 413):
        app.register_error_handler(code, render)

    @app.errorhandler(StaleDataError)
    def saved_meanwhile(error: StaleDataError):
        # A versioned record's UPDATE matched no row outside run_service: someone saved it first.
        db.session.rollback()
        return render_template("errors/409.html"), 409

    @app.errorhandler(500)
    def server_error(error):
        return render_template("errors/500.html"), 500
