"""Frameworks: versioned competency frameworks, their elements, mappings, import and export."""

from flask import Blueprint

bp = Blueprint("frameworks", __name__)
