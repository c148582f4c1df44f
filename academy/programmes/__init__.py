"""Programmes: the templates cohorts are made from (milestones, minimums, entitlements)."""

from flask import Blueprint

bp = Blueprint("programmes", __name__)
