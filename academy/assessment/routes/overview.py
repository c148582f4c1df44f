"""The assessment overview: ratings by year, milestone reviews and ASYE outcomes.

The blueprint's other pages live beside this module: ratings (an element's ratings and their
corrections), evidence_review (accept or return evidence), reviews (milestone reviews), outcomes (the
recommendation and the moderation panel) and concerns (concerns and action plans). Each view is guarded
with `requires`, runs one service with `run_service`, then redirects or renders.
"""

from flask import render_template

from academy.assessment import bp
from academy.assessment.services import outcomes as outcome_services
from academy.assessment.services import ratings as rating_services
from academy.assessment.services import reviews as review_services
from academy.core.dates import today
from academy.core.web import requires
from academy.participants.models import Participant
from academy.participants.policies import can_view_participant
from academy.participants.queries import load_participant


@bp.get("/participants/<int:participant_id>/assessment")
@requires(can_view_participant, load=load_participant)
def overview(participant: Participant):
    years = range(1, participant.programme_year + 1)
    tables = [
        (
            year,
            rating_services.assessed_elements(participant, year),
            rating_services.current_ratings(participant, year),
        )
        for year in reversed(years)
    ]
    return render_template(
        "assessment/overview.html",
        participant=participant,
        tables=tables,
        reviews=review_services.milestone_reviews(participant),
        outcomes=outcome_services.outcomes_of(participant),
        label=lambda value: rating_services.rating_label(participant.cohort, value),
        threshold=rating_services.meeting_threshold(participant.cohort),
        review_state=review_services.review_state,
        today=today(),
        element_name=rating_services.element_name,
    )


@bp.app_template_global("element_name")
def element_name(element) -> str:
    """An element named with its framework in words ("KSS 2 Communication"), on every page and record."""
    return rating_services.element_name(element)
