"""Retention and workforce figures: the dashboard, its charts and exports."""

from flask import Blueprint

bp = Blueprint("retention", __name__)
