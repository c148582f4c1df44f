"""The feedback pages: staff and NQSWs ask and follow up (requests); people outside answer (public)."""

from academy.feedback.routes import public, requests

__all__ = ["public", "requests"]
