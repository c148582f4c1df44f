"""Creating programmes and reading their settings."""

import copy
from typing import Any

import sqlalchemy as sa

from academy.extensions import db
from academy.programmes.defaults import (
    ADULTS_PROGRAMME_NAME,
    DEFAULT_PROGRAMME_NAME,
    MILESTONES,
    default_settings,
)
from academy.programmes.models import MilestoneTemplate, Programme, ServiceArea


def ensure_default_programmes() -> list[Programme]:
    """Create the shipped programmes if they are missing; existing ones are left as edited."""
    made = []
    for name, area, is_default in (
        (DEFAULT_PROGRAMME_NAME, ServiceArea.CHILD_FAMILY, True),
        (ADULTS_PROGRAMME_NAME, ServiceArea.ADULTS, False),
    ):
        programme = db.session.scalar(sa.select(Programme).where(Programme.name == name))
        if programme is None:
            programme = Programme(name=name, service_area=area, is_default=is_default, settings=default_settings(area))
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
                for code, title, kind, year, months, optional, reflection in MILESTONES
            ]
            db.session.add(programme)
            made.append(programme)
    db.session.flush()
    return made


def default_programme() -> Programme | None:
    """The programme new cohorts use unless told otherwise."""
    return db.session.scalar(sa.select(Programme).where(Programme.is_default.is_(True)))


def snapshot_settings(programme: Programme) -> dict[str, Any]:
    """A cohort's copy of its programme's settings and milestones, frozen at creation."""
    settings = copy.deepcopy(programme.settings)
    settings["programme_name"] = programme.name
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
        for m in programme.milestones
    ]
    return settings
