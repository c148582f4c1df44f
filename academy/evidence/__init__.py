"""The portfolio: evidence entries, their links to competencies, attachments and review states."""

from flask import Blueprint

bp = Blueprint("evidence", __name__)
