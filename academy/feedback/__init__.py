"""Feedback from people outside the academy: single-use links whose answers arrive as evidence (issue 20)."""

from flask import Blueprint

bp = Blueprint("feedback", __name__)
