"""The funding list: everyone on the child and family ASYE in the scheme's year, their eligibility and claims."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import joinedload

from academy.cohorts.models import Cohort
from academy.extensions import db
from academy.funding.models import ClaimKind, ClaimStatus, FundingClaim, FundingDetails, FundingScheme
from academy.funding.rules import Eligibility, completion_due_on, eligibility
from academy.participants.models import Participant, ParticipantStatus
from academy.programmes.models import ServiceArea

ENDED = {ParticipantStatus.LEFT, ParticipantStatus.WITHDRAWN, ParticipantStatus.FAILED}


@dataclass
class ClaimState:
    kind: ClaimKind
    claim: FundingClaim | None
    due_on: date | None
    text: str  # what the page and the export say
    is_due: bool = False


@dataclass
class FundingRow:
    participant: Participant
    details: FundingDetails | None
    eligibility: Eligibility
    registration: ClaimState
    completion: ClaimState

    @property
    def claims(self) -> list[ClaimState]:
        return [self.registration, self.completion]

    @property
    def is_due(self) -> bool:
        return any(c.is_due for c in self.claims)

    @property
    def is_claimed(self) -> bool:
        return any(c.claim is not None and c.claim.status != ClaimStatus.REFUSED for c in self.claims)

    @property
    def is_refused(self) -> bool:
        return any(c.claim is not None and c.claim.status == ClaimStatus.REFUSED for c in self.claims)


def _state(kind: ClaimKind, claim: FundingClaim | None, eligible: bool, due_on: date | None, today: date) -> ClaimState:
    if claim is not None:
        text = f"{claim.status.label} (claimed {claim.claimed_on:%-d %B %Y}"
        if claim.decided_on is not None:
            text += f", decided {claim.decided_on:%-d %B %Y}"
        text += ")"
        if claim.status == ClaimStatus.REFUSED:
            text += f": {claim.reason}"
        return ClaimState(kind, claim, due_on, text)
    if not eligible:
        return ClaimState(kind, None, due_on, "Not claimable")
    if due_on is None:
        return ClaimState(kind, None, None, "Not due: left the programme")
    if due_on <= today:
        return ClaimState(kind, None, due_on, f"Due since {due_on:%-d %B %Y}", is_due=True)
    return ClaimState(kind, None, due_on, f"Due on {due_on:%-d %B %Y}")


def funding_rows(scheme: FundingScheme, today: date) -> list[FundingRow]:
    """Everyone in a child and family cohort whose ASYE year falls in the scheme's period, by name."""
    rules = scheme.rules
    start, end = date.fromisoformat(rules["period_start"]), date.fromisoformat(rules["period_end"])
    area = ServiceArea(rules.get("service_area", "child_family"))
    participants = db.session.scalars(
        sa.select(Participant)
        .join(Cohort, Cohort.id == Participant.cohort_id)
        .options(joinedload(Participant.user), joinedload(Participant.cohort))
        .where(Cohort.service_area == area, Participant.start_date <= end)
    ).all()
    in_period = [
        p
        for p in participants
        if p.start_date + relativedelta(months=int(p.cohort.settings.get("asye_months", 12))) > start
        and int(p.cohort.settings.get("asye_months", 12)) == 12  # the ASYE, not the two-year ECDP
    ]
    ids = [p.id for p in in_period]
    details = {
        d.participant_id: d
        for d in db.session.scalars(
            sa.select(FundingDetails).where(
                FundingDetails.scheme_id == scheme.id, FundingDetails.participant_id.in_(ids)
            )
        )
    }
    claims = {
        (c.participant_id, c.kind): c
        for c in db.session.scalars(
            sa.select(FundingClaim).where(FundingClaim.scheme_id == scheme.id, FundingClaim.participant_id.in_(ids))
        )
    }
    rows = []
    for p in sorted(in_period, key=lambda p: (p.user.name.lower(), p.id)):
        found = eligibility(p, details.get(p.id), rules)
        completion_due = None if p.status in ENDED else completion_due_on(p, rules)
        rows.append(
            FundingRow(
                p,
                details.get(p.id),
                found,
                _state(
                    ClaimKind.REGISTRATION,
                    claims.get((p.id, ClaimKind.REGISTRATION)),
                    found.eligible,
                    max(p.start_date, start),
                    today,
                ),
                _state(
                    ClaimKind.COMPLETION,
                    claims.get((p.id, ClaimKind.COMPLETION)),
                    found.eligible,
                    completion_due,
                    today,
                ),
            )
        )
    return rows


FILTERS = {
    "eligible": ("Eligible", lambda r: r.eligibility.eligible),
    "not_eligible": ("Not eligible", lambda r: not r.eligibility.eligible),
    "due": ("Claim due", lambda r: r.is_due),
    "claimed": ("Claimed", lambda r: r.is_claimed),
    "refused": ("Refused", lambda r: r.is_refused),
}


def counts(rows: list[FundingRow]) -> dict[str, int]:
    return {key: sum(1 for r in rows if test(r)) for key, (_, test) in FILTERS.items()}
