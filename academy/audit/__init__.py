"""The audit trail: every change of state that matters, readable by coordinators."""

from flask import Blueprint

bp = Blueprint("audit", __name__)
