"""Assessment: ratings, evidence review, reviews, outcomes, concerns and moderation."""

from flask import Blueprint

bp = Blueprint("assessment", __name__)
