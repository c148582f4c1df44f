"""The audit trail in words: what changed, from what, to what; never codes or JSON."""

import re
from datetime import date
from typing import Any

from academy.audit.models import AuditEvent

LABELS = {
    "swe_number": "Social Work England number",
    "fte": "Contracted FTE",
    "starts_on": "Starts on",
    "held_on": "Held on",
    "on_track": "On track",
    "nqsw_signed": "Signed by the NQSW",
    "assessor_signed": "Signed by the assessor",
    "user": "Member of staff",
    "kind": "Role",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " ").capitalize())


def in_words(value: Any) -> str:
    """One recorded value as a person would write it."""
    if value is None or value == "" or value == []:
        return "nothing"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str) and ISO_DATE.match(value):
        day = date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    if isinstance(value, str):
        return value.replace("_", " ") if re.fullmatch(r"[a-z_]+", value) else value
    if isinstance(value, list):
        return ", ".join(in_words(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{label(k)}: {in_words(v)}" for k, v in value.items())
    return str(value)


def changes(event: AuditEvent) -> list[tuple[str, str | None, str]]:
    """(what, from, to) for each value the event recorded; `from` is None when there was no before."""
    before, after = event.before or {}, event.after or {}
    keys = [k for k in dict.fromkeys([*before, *after]) if not k.endswith("_id") and k != "id"]
    rows = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            continue
        rows.append((label(key), in_words(old) if key in before else None, in_words(new)))
    return rows


def action_words(action: str) -> str:
    """ "participant.details_changed" -> "Participant: details changed" (for the filter's options)."""
    area, _, what = action.partition(".")
    return f"{label(area)}: {what.replace('_', ' ')}" if what else label(area)
