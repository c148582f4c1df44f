"""Eligibility for DfE ASYE funding, from the scheme's rules (data, not code) and the participant's details."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from academy.funding.models import FundingDetails
from academy.participants.models import EmploymentType, Participant


@dataclass
class Eligibility:
    eligible: bool
    reasons: list[str]  # why not, in plain words ([] when eligible)

    @property
    def text(self) -> str:
        return "Eligible" if self.eligible else "Not eligible: " + "; ".join(self.reasons)


def eligibility(participant: Participant, details: FundingDetails | None, rules: dict[str, Any]) -> Eligibility:
    """Each rule of the scheme checked against the participant; every failing rule gives its reason."""
    reasons = []
    if rules.get("require_swe_number", True) and not participant.swe_number:
        reasons.append("no Social Work England number recorded (registration with Social Work England is required)")
    years = rules.get("max_years_since_qualifying")
    qualified_on = details.qualified_on if details is not None else None
    if years is not None:
        if qualified_on is None:
            reasons.append("qualification date not recorded")
        elif qualified_on < participant.start_date - relativedelta(years=int(years)):
            reasons.append(
                f"qualified on {qualified_on:%-d %B %Y}, more than {years} years before starting on "
                f"{participant.start_date:%-d %B %Y}"
            )
    if rules.get("exclude_funded_before", True) and details is not None and details.funded_before:
        reasons.append("already funded for an ASYE before")
    allowed = rules.get("eligible_employment_types")
    if allowed is not None and participant.employment_type.value not in allowed:
        reasons.append(f"{participant.employment_type.label.lower()} workers are not eligible under the scheme's rules")
    return Eligibility(not reasons, reasons)


def completion_due_on(participant: Participant, rules: dict[str, Any]) -> date:
    """When the completion claim falls due: at the end of the ASYE, or by the scheme's date for anyone still on it."""
    months = int(participant.cohort.settings.get("asye_months", 12))
    end = participant.start_date + relativedelta(months=months)
    by = rules.get("completion_due_by")
    return min(end, date.fromisoformat(by)) if by else end


EMPLOYMENT_TYPES = list(EmploymentType)
