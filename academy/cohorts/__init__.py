"""Cohorts: the intake of a programme, enrolment (one by one or by CSV) and the cohort table."""

from flask import Blueprint

bp = Blueprint("cohorts", __name__)
