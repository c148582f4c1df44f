"""Logs kept beside the portfolio: supervision, protected development time, caseload and self-assessment."""

from flask import Blueprint

bp = Blueprint("logs", __name__)
