"""`flask academy demo` gives the demo NQSWs portfolios that fit how far into the programme they are."""

import sqlalchemy as sa

from academy.cohorts.models import Cohort
from academy.evidence.identifiers import find_identifiers
from academy.evidence.models import EvidenceEntry, EvidenceEvent, EvidenceStatus
from academy.evidence.progress import evidence_complete, evidence_progress
from academy.logs.calculations import protected_time_summary, supervision_summary
from academy.participants.models import Participant


def _first(db, intake: str) -> Participant:
    return db.session.scalars(
        sa.select(Participant).join(Cohort).where(Cohort.name == intake).order_by(Participant.id)
    ).first()


def _statuses(db, participant: Participant) -> set[EvidenceStatus]:
    return set(
        db.session.scalars(sa.select(EvidenceEntry.status).where(EvidenceEntry.participant_id == participant.id))
    )


def test_demo_portfolios(demo_db):
    db = demo_db

    # 2024 intake: the whole ASYE minimum accepted (3 + 3 + 3 + 3, two reflections, three self-assessments).
    veteran = _first(db, "September 2024 intake")
    progress = {item.key: (item.met, item.required) for item in evidence_progress(veteran)}
    assert progress == {
        "direct_observation": (3, 3),
        "feedback_person_using_services": (3, 3),
        "feedback_professional": (3, 3),
        "written_report": (3, 3),
        "critical_reflection:review_6m": (1, 1),
        "critical_reflection:final_review": (1, 1),
        "self_assessment:start": (1, 1),
        "self_assessment:middle": (1, 1),
        "self_assessment:end": (1, 1),
    }
    assert evidence_complete(veteran)
    assert evidence_complete(_first(db, "September 2025 intake"))
    # Accepted by their assessor, through the services: each entry has its history.
    accepted = db.session.scalars(
        sa.select(EvidenceEntry).where(
            EvidenceEntry.participant_id == veteran.id, EvidenceEntry.status == EvidenceStatus.ACCEPTED
        )
    ).all()
    assert all(entry.decided_by_id != veteran.user_id for entry in accepted)
    actions = set(db.session.scalars(sa.select(EvidenceEvent.action).where(EvidenceEvent.entry_id == accepted[0].id)))
    assert {"created", "submitted", "accepted"} <= actions

    # 2026 intake: a new NQSW has drafts and submissions, and nothing of the minimum complete yet.
    newcomer = _first(db, "September 2026 intake")
    assert EvidenceStatus.DRAFT in _statuses(db, newcomer)
    assert not evidence_complete(newcomer)
    newcomers = db.session.scalars(
        sa.select(Participant).join(Cohort).where(Cohort.name == "September 2026 intake")
    ).all()
    waiting = set().union(*(_statuses(db, p) for p in newcomers))
    assert {EvidenceStatus.DRAFT, EvidenceStatus.SUBMITTED} <= waiting

    # The logs: supervision and protected time recorded to date, close to what the schedule expects.
    supervision = supervision_summary(veteran)
    assert supervision.done >= 0.7 * supervision.expected > 0
    protected = protected_time_summary(veteran)
    assert protected.done * 2 >= protected.expected > 0

    # Synthetic and anonymised: no narrative trips the identifier warnings.
    narratives = db.session.scalars(sa.select(EvidenceEntry.narrative)).all()
    assert narratives
    assert [n for n in narratives if find_identifiers(n)] == []
