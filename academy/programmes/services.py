"""Creating programmes and reading their settings."""

import copy
from datetime import date
from typing import Any

import sqlalchemy as sa

from academy.audit.services import record_audit
from academy.core.errors import DomainError
from academy.core.locking import Loaded, check_unchanged
from academy.extensions import db
from academy.programmes.defaults import (
    ADULTS_PROGRAMME_NAME,
    DEFAULT_PROGRAMME_NAME,
    ECDP_MILESTONES,
    ECDP_PROGRAMME_NAME,
    MILESTONES,
    default_settings,
    ecdp_settings,
)
from academy.programmes.models import MilestoneTemplate, Programme, ServiceArea


def ensure_default_programmes() -> list[Programme]:
    """Create the shipped programmes if they are missing; existing ones are left as edited."""
    made = []
    child_family, adults = default_settings(ServiceArea.CHILD_FAMILY), default_settings(ServiceArea.ADULTS)
    for name, area, is_default, settings, milestones, years in (
        (DEFAULT_PROGRAMME_NAME, ServiceArea.CHILD_FAMILY, True, child_family, MILESTONES, 3),
        (ADULTS_PROGRAMME_NAME, ServiceArea.ADULTS, False, adults, MILESTONES, 3),
        (ECDP_PROGRAMME_NAME, ServiceArea.CHILD_FAMILY, False, ecdp_settings(), ECDP_MILESTONES, 2),
    ):
        programme = db.session.scalar(sa.select(Programme).where(Programme.name == name))
        if programme is None:
            programme = Programme(
                name=name, service_area=area, is_default=is_default, settings=settings, length_years=years
            )
            programme.milestones = [
                MilestoneTemplate(
                    code=code,
                    title=title,
                    kind=kind,
                    programme_year=year,
                    months_due=months,
                    is_optional=optional,
                    needs_critical_reflection=reflection,
                )
                for code, title, kind, year, months, optional, reflection in milestones
            ]
            db.session.add(programme)
            made.append(programme)
    db.session.flush()
    return made


def default_programme() -> Programme:
    """The programme new cohorts use unless told otherwise (the shipped ones are made if missing)."""
    programme = db.session.scalar(sa.select(Programme).where(Programme.is_default.is_(True)))
    if programme is None:
        ensure_default_programmes()
        programme = db.session.scalars(sa.select(Programme).where(Programme.is_default.is_(True))).one()
    return programme


def proposed_from(programme: Programme) -> date | None:
    """The first start date for which new cohorts are proposed this programme (None: the default's fallback)."""
    value = programme.settings.get("proposed_from")
    return date.fromisoformat(value) if value else None


def proposed_programme(start: date) -> Programme:
    """The programme proposed for a cohort starting on `start`: the one with the latest "proposed from" date on or
    before it (the ECDP from 1 September 2027), otherwise the default (the ASYE programme). A proposal only: the
    coordinator can choose another."""
    default = default_programme()
    dated = [
        (when, programme)
        for programme in db.session.scalars(sa.select(Programme).order_by(Programme.id))
        if (when := proposed_from(programme)) is not None and when <= start
    ]
    return max(dated, key=lambda pair: pair[0])[1] if dated else default


def has_third_year_switch(programme: Programme) -> bool:
    """A programme whose third year (the academy's consolidation year) a coordinator switches on or off."""
    return "third_year" in programme.settings


def active_milestones(programme: Programme) -> list[MilestoneTemplate]:
    """The milestones a new cohort gets: the third year's only when the programme has it switched on."""
    if has_third_year_switch(programme) and not programme.settings.get("third_year"):
        return [m for m in programme.milestones if m.programme_year < 3]
    return list(programme.milestones)


def snapshot_settings(programme: Programme) -> dict[str, Any]:
    """A cohort's copy of its programme's settings and milestones, frozen at creation."""
    settings = copy.deepcopy(programme.settings)
    settings["programme_name"] = programme.name
    settings["length_years"] = programme.length_years
    settings["milestones"] = [
        {
            "code": m.code,
            "title": m.title,
            "kind": m.kind.value,
            "programme_year": m.programme_year,
            "months_due": m.months_due,
            "is_optional": m.is_optional,
            "needs_critical_reflection": m.needs_critical_reflection,
        }
        for m in active_milestones(programme)
    ]
    return settings


def settings_form_data(programme: Programme) -> dict[str, Any]:
    """The programme's settings flattened into the settings form's fields."""
    s = programme.settings
    evidence = s.get("minimum_evidence", {})
    bands = s.get("supervision_schedule", [])
    data: dict[str, Any] = {
        key: evidence.get(key, 0)
        for key in ("direct_observation", "feedback_person_using_services", "feedback_professional", "written_report")
    }
    data["weekly_until_week"] = next((b["until_week"] for b in bands if "until_week" in b), 6)
    data["fortnightly_until_month"] = next((b["until_month"] for b in bands if b.get("until_month")), 6)
    data["later_interval_days"] = bands[-1]["interval_days"] if bands else 31
    data["protected_time_percent"] = round(float(s.get("protected_time_share", 0.1)) * 100, 1)
    data["contracted_hours_per_week"] = s.get("contracted_hours_per_week", 37)
    data["caseload_target"] = s.get("caseload_target", 16)
    data["asye_months"] = s.get("asye_months", 12)
    data["meeting_threshold"] = s.get("meeting_threshold", 2)
    if has_third_year_switch(programme):
        data["third_year"] = bool(s.get("third_year"))
    for m in programme.milestones:
        data[f"months_{m.code}"] = m.months_due
    return data


# The settings in words, for the message when someone else changed them first (milestones add their own).
SETTING_WORDS = {
    "direct_observation": "the minimum direct observations",
    "feedback_person_using_services": "the minimum feedback from people who use services",
    "feedback_professional": "the minimum feedback from other professionals",
    "written_report": "the minimum written reports",
    "weekly_until_week": "the weekly supervision period",
    "fortnightly_until_month": "the fortnightly supervision period",
    "later_interval_days": "the days between supervisions",
    "protected_time_percent": "the protected time",
    "contracted_hours_per_week": "the contracted hours",
    "caseload_target": "the caseload target",
    "asye_months": "the length of the assessed period",
    "meeting_threshold": "the rating that counts as meeting",
    "third_year": "the third year",
}


def setting_words(programme: Programme) -> dict[str, str]:
    return SETTING_WORDS | {f"months_{m.code}": f"when the {m.title.lower()} is due" for m in programme.milestones}


def update_settings(programme: Programme, data: dict[str, Any], *, actor, loaded: Loaded | None = None) -> None:
    """Save edited settings and milestone months. Cohorts made earlier keep their own copy. `loaded`: what the
    form was opened on; a save over someone else's later change is refused (academy.core.locking)."""
    check_unchanged(programme, loaded, settings_form_data(programme), noun="programme", labels=setting_words(programme))

    before = copy.deepcopy(programme.settings) | {"milestones": {m.code: m.months_due for m in programme.milestones}}
    months = {m.code: int(data[f"months_{m.code}"]) for m in programme.milestones}
    ordered = [months[m.code] for m in sorted(programme.milestones, key=lambda m: (m.programme_year, m.months_due))]
    if ordered != sorted(ordered):
        raise DomainError("Milestones must stay in order: each one due no earlier than the one before it.")
    if int(data["fortnightly_until_month"]) * 4 < int(data["weekly_until_week"]):
        raise DomainError("Fortnightly supervision must run until after the weekly period ends.")
    settings = copy.deepcopy(programme.settings)
    settings["minimum_evidence"] = {
        **settings.get("minimum_evidence", {}),
        **{
            key: int(data[key])
            for key in (
                "direct_observation",
                "feedback_person_using_services",
                "feedback_professional",
                "written_report",
            )
        },
    }
    settings["supervision_schedule"] = [
        {"until_week": int(data["weekly_until_week"]), "interval_days": 7},
        {"until_month": int(data["fortnightly_until_month"]), "interval_days": 14},
        {"until_month": None, "interval_days": int(data["later_interval_days"])},
    ]
    settings["protected_time_share"] = float(data["protected_time_percent"]) / 100
    settings["contracted_hours_per_week"] = float(data["contracted_hours_per_week"])
    settings["caseload_target"] = int(data["caseload_target"])
    settings["asye_months"] = int(data["asye_months"])
    settings["meeting_threshold"] = int(data["meeting_threshold"])
    if has_third_year_switch(programme):
        settings["third_year"] = bool(data.get("third_year"))
        programme.length_years = 3 if settings["third_year"] else 2
    programme.settings = settings
    for m in programme.milestones:
        m.months_due = months[m.code]
    record_audit(
        actor,
        "programme.updated",
        programme,
        summary=f"Changed the settings of {programme.name}",
        before=before,
        after=settings | {"milestones": months},
    )
