"""Reading a participant's logs for their pages."""

from typing import Any

import sqlalchemy as sa

from academy.extensions import db
from academy.logs.models import SelfAssessment, SelfAssessmentPoint
from academy.participants.models import Participant


def log_rows(participant: Participant, model: Any, newest_first: Any) -> list[Any]:
    """The participant's rows of one log (`model`), newest first by its date column `newest_first`."""
    return list(
        db.session.scalars(sa.select(model).where(model.participant_id == participant.id).order_by(newest_first.desc()))
    )


def self_assessment_answers(participant: Participant, point: SelfAssessmentPoint) -> dict[int, SelfAssessment]:
    """The NQSW's saved answers at one point, by element id."""
    rows = db.session.scalars(
        sa.select(SelfAssessment).where(SelfAssessment.participant_id == participant.id, SelfAssessment.point == point)
    )
    return {row.element_id: row for row in rows}
