"""The assessment pages: every module here adds its views to the assessment blueprint."""

from academy.assessment.routes import concerns, evidence_review, outcomes, overview, ratings, reviews

__all__ = ["concerns", "evidence_review", "outcomes", "overview", "ratings", "reviews"]
