"""Correcting a participant's details: name, email, team, SWE number and employment type, audited with
the old values kept."""

from dataclasses import asdict, dataclass

import sqlalchemy as sa

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.core.errors import DomainError
from academy.core.locking import Loaded, check_unchanged
from academy.extensions import db
from academy.participants.models import EmploymentType, Participant


@dataclass(frozen=True)
class Details:
    name: str
    email: str
    team: str
    swe_number: str
    employment_type: EmploymentType | str


def current_details(participant: Participant) -> Details:
    return Details(
        name=participant.user.name,
        email=participant.user.email,
        team=participant.team,
        swe_number=participant.swe_number,
        employment_type=participant.employment_type,
    )


LABELS = {
    "name": "name",
    "email": "email",
    "team": "team",
    "swe_number": "Social Work England number",
    "employment_type": "employment type",
}


# The fields in words, for the message when someone else changed them first.
WORDS = {key: f"the {label}" for key, label in LABELS.items()}


def _shown(value: object) -> str:
    return value.label if isinstance(value, EmploymentType) else str(value)


def details_values(participant: Participant) -> dict:
    """The details as the form shows them (for the form's fingerprint, academy.core.locking)."""
    values = asdict(current_details(participant))
    return values | {"employment_type": str(values["employment_type"])}


def update_participant_details(
    participant: Participant, details: Details, *, by: User | None, loaded: Loaded | None = None
) -> list[str]:
    """Apply the corrections; returns the names of what changed (nothing changed: no audit entry). `loaded`: what
    the form was opened on; corrections over someone else's later ones are refused (academy.core.locking)."""
    name, email = details.name.strip(), details.email.strip().lower()
    if not name:
        raise DomainError("Enter the full name.", field="name")
    if not email:
        raise DomainError("Enter an email address.", field="email")
    try:
        employment = EmploymentType(details.employment_type)
    except ValueError:
        raise DomainError("Choose an employment type.", field="employment_type") from None
    taken = db.session.scalar(
        sa.select(User.id).where(sa.func.lower(User.email) == email, User.id != participant.user_id)
    )
    if taken is not None:
        raise DomainError(f"Another account already uses {email}.", field="email")
    swe = details.swe_number.strip().upper()
    if swe:
        other = db.session.scalar(
            sa.select(Participant.id).where(Participant.swe_number == swe, Participant.user_id != participant.user_id)
        )
        if other is not None:
            raise DomainError(f"Another NQSW already has the Social Work England number {swe}.", field="swe_number")
    old = current_details(participant)
    new = Details(name=name, email=email, team=details.team.strip(), swe_number=swe, employment_type=employment)
    changed = [key for key in LABELS if getattr(old, key) != getattr(new, key)]
    if not changed:
        return []
    check_unchanged(participant, loaded, details_values(participant), noun="person's details", labels=WORDS)
    participant.user.name, participant.user.email = new.name, new.email
    participant.team, participant.swe_number, participant.employment_type = new.team, new.swe_number, employment
    record_audit(
        by,
        "participant.details_changed",
        participant,
        summary=f"Corrected {', '.join(LABELS[key] for key in changed)} of {new.name}",
        before={key: _shown(getattr(old, key)) for key in changed},
        after={key: _shown(getattr(new, key)) for key in changed},
    )
    return changed
