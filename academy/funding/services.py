"""Funding use cases: the scheme's rules, a participant's details, and recording claims."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.core.errors import DomainError
from academy.extensions import db
from academy.funding.models import ClaimKind, ClaimStatus, FundingClaim, FundingDetails, FundingScheme
from academy.participants.models import EmploymentType, Participant

DATA_DIR = Path(__file__).parent / "data"
CURRENT_SCHEME = "DFE_ASYE_2026_27"


def shipped_rules(code: str = CURRENT_SCHEME) -> dict[str, Any]:
    return json.loads((DATA_DIR / f"{code.lower()}.json").read_text(encoding="utf-8"))


def current_scheme() -> FundingScheme:
    """The 2026-27 scheme, made from the shipped rules the first time; a coordinator's edits are kept."""
    scheme = db.session.scalar(sa.select(FundingScheme).where(FundingScheme.code == CURRENT_SCHEME))
    if scheme is None:
        rules = shipped_rules()
        scheme = FundingScheme(code=rules["code"], name=rules["name"], rules=rules)
        db.session.add(scheme)
        db.session.flush()
    return scheme


def update_rules(scheme: FundingScheme, *, employment_types: list[str], max_years: int, actor: User | None) -> None:
    """Change the rules an academy may set: which employment types are eligible, and years since qualifying."""
    known = {e.value for e in EmploymentType}
    if not set(employment_types) <= known:
        raise DomainError("Choose employment types from the list.", field="employment_types")
    if not 1 <= max_years <= 10:
        raise DomainError("Enter 1 to 10 years.", field="max_years")
    before = dict(scheme.rules)
    scheme.rules = before | {
        "eligible_employment_types": sorted(employment_types),
        "max_years_since_qualifying": max_years,
    }
    record_audit(
        actor,
        "funding.rules_updated",
        scheme,
        summary=f"Changed the eligibility rules of {scheme.name}",
        before={k: before.get(k) for k in ("eligible_employment_types", "max_years_since_qualifying")},
        after={"eligible_employment_types": sorted(employment_types), "max_years_since_qualifying": max_years},
    )


def details_for(scheme: FundingScheme, participant: Participant) -> FundingDetails | None:
    return db.session.scalar(
        sa.select(FundingDetails).where(
            FundingDetails.scheme_id == scheme.id, FundingDetails.participant_id == participant.id
        )
    )


def save_details(
    scheme: FundingScheme,
    participant: Participant,
    *,
    qualified_on: date | None,
    funded_before: bool,
    actor: User | None,
) -> FundingDetails:
    """Record the qualification date and whether the person was funded for an ASYE before."""
    if qualified_on is not None and qualified_on > participant.start_date:
        raise DomainError("The qualification date must be on or before the start date.", field="qualified_on")
    details = details_for(scheme, participant)
    before = None
    if details is None:
        details = FundingDetails(scheme_id=scheme.id, participant_id=participant.id)
        db.session.add(details)
    else:
        before = {"qualified_on": str(details.qualified_on or ""), "funded_before": details.funded_before}
    details.qualified_on, details.funded_before = qualified_on, funded_before
    db.session.flush()
    record_audit(
        actor,
        "funding.details_saved",
        details,
        participant_id=participant.id,
        summary=f"Saved the funding details of {participant.name}",
        before=before,
        after={"qualified_on": str(qualified_on or ""), "funded_before": funded_before},
    )
    return details


def claim_for(scheme: FundingScheme, participant: Participant, kind: ClaimKind) -> FundingClaim | None:
    return db.session.scalar(
        sa.select(FundingClaim).where(
            FundingClaim.scheme_id == scheme.id,
            FundingClaim.participant_id == participant.id,
            FundingClaim.kind == kind,
        )
    )


def record_claim(
    scheme: FundingScheme,
    participant: Participant,
    kind: ClaimKind,
    status: ClaimStatus,
    *,
    claimed_on: date,
    decided_on: date | None = None,
    reason: str = "",
    actor: User | None,
) -> FundingClaim:
    """Record a claim made to DfE, or DfE's decision on it (paid, or refused with the reason given)."""
    reason = (reason or "").strip()
    if status == ClaimStatus.REFUSED and not reason:
        raise DomainError("Give the reason DfE gave for refusing the claim.", field="reason")
    if status != ClaimStatus.CLAIMED and decided_on is None:
        raise DomainError("Enter the date of DfE's decision.", field="decided_on")
    if decided_on is not None and decided_on < claimed_on:
        raise DomainError("The decision cannot come before the claim.", field="decided_on")
    claim = claim_for(scheme, participant, kind)
    before = None
    amount = int(scheme.rules.get(f"{kind.value}_amount_gbp", 1000))
    if claim is None:
        claim = FundingClaim(scheme_id=scheme.id, participant_id=participant.id, kind=kind, amount_gbp=amount)
        db.session.add(claim)
    else:
        before = {"status": claim.status.value, "claimed_on": str(claim.claimed_on), "reason": claim.reason}
    claim.status, claim.claimed_on, claim.decided_on, claim.reason = status, claimed_on, decided_on, reason
    db.session.flush()
    record_audit(
        actor,
        "funding.claim_recorded",
        claim,
        participant_id=participant.id,
        summary=f"{kind.label} claim for {participant.name}: {status.label.lower()}",
        before=before,
        after={
            "kind": kind.value,
            "status": status.value,
            "amount_gbp": amount,
            "claimed_on": str(claimed_on),
            "decided_on": str(decided_on or ""),
            "reason": reason,
        },
    )
    return claim
