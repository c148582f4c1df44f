"""Progression records (PDF), cohort reports, record batches and document verification."""

from flask import Blueprint

bp = Blueprint("reports", __name__)
