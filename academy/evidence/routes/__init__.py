"""The portfolio pages: every module here adds its views to the evidence blueprint."""

from academy.evidence.routes import attachments, entries, entry_form

__all__ = ["attachments", "entries", "entry_form"]
