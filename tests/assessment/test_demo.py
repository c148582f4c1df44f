"""The demo step: outcomes move the 2024 and 2025 intakes on; one recommendation awaits the panel."""

import sqlalchemy as sa

from academy.assessment.models import Concern, Outcome, OutcomeStatus, Rating, Review, ReviewStatus
from academy.cohorts.models import Cohort
from academy.participants.models import Participant


def test_demo_assessment_story(demo_db):
    db = demo_db
    years = dict(
        db.session.execute(
            sa.select(Cohort.name, sa.func.max(Participant.programme_year)).join(Participant).group_by(Cohort.name)
        ).all()
    )
    assert years == {
        "September 2024 intake": 3,
        "September 2025 intake": 2,
        "September 2026 intake": 1,
        "September 2027 intake (ECDP)": 1,  # enrolled ahead of its start
    }
    statuses = db.session.scalars(sa.select(Outcome.status)).all()
    assert statuses.count(OutcomeStatus.PENDING) == 1
    assert statuses.count(OutcomeStatus.CONFIRMED) >= 15
    assert db.session.scalar(sa.select(sa.func.count(Concern.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Rating.id))) > 500
    signed = db.session.scalar(sa.select(sa.func.count(Review.id)).where(Review.status == ReviewStatus.SIGNED))
    assert signed > 60
