"""Participants: one NQSW's record in a cohort: lifecycle, staff assignments, milestones and schedule."""

from flask import Blueprint

bp = Blueprint("participants", __name__)
