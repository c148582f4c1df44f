"""The dashboard's filter form: a GET form, so the filtered page has its own address and needs no JS."""

import sqlalchemy as sa
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField, ValidationError

from academy.cohorts.models import Cohort
from academy.core.dates import today
from academy.core.forms import AcademyForm
from academy.extensions import db
from academy.participants.models import Participant
from academy.programmes.models import ServiceArea
from academy.retention.scope import Scope, latest_census_year

ALL = ""


class FilterForm(AcademyForm):
    class Meta:
        csrf = False  # reading only; a token would also leak into the address

    cohort = SelectField("Cohort", widget=GovSelect(), default=ALL)
    service_area = SelectField("Service area", widget=GovSelect(), default=ALL)
    team = SelectField("Team", widget=GovSelect(), default=ALL)
    period = SelectField("Period", widget=GovSelect(), default="rolling")
    submit = SubmitField("Show figures", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cohorts = db.session.execute(sa.select(Cohort.id, Cohort.name).order_by(Cohort.start_date.desc())).all()
        self.cohort.choices = [(ALL, "All cohorts (the whole academy)")] + [(str(i), n) for i, n in cohorts]
        self.service_area.choices = [(ALL, "All service areas")] + [
            (a.value, a.label) for a in ServiceArea if a != ServiceArea.ALL
        ]
        teams = db.session.scalars(
            sa.select(Participant.team).where(Participant.team != "").distinct().order_by(Participant.team)
        )
        self.team.choices = [(ALL, "All teams")] + [(t, t) for t in teams]
        now = today()
        first = db.session.scalar(sa.select(sa.func.min(Cohort.start_date))) or now
        years = range(latest_census_year(now), latest_census_year(first) - 1, -1)
        self.period.choices = [("rolling", "12 months to today")] + [
            (f"census-{y}", f"Year to 30 September {y} (census year)") for y in years
        ]
        for field in (self.cohort, self.service_area, self.team, self.period):
            field.validators = []
            field.pre_validate = self._choice_validator(field)

    @staticmethod
    def _choice_validator(field):
        def check(form) -> None:
            if field.data not in {value for value, _ in field.choices}:
                raise ValidationError(f"Choose a {field.label.text.lower()} from the list")

        return check

    def scope(self) -> Scope:
        """The scope the (validated) choices describe; defaults for any choice left empty."""
        filters = {
            "cohort_id": int(self.cohort.data) if self.cohort.data else None,
            "service_area": ServiceArea(self.service_area.data) if self.service_area.data else None,
            "team": self.team.data or None,
        }
        if self.period.data and self.period.data.startswith("census-"):
            return Scope.census(int(self.period.data.removeprefix("census-")), **filters)
        return Scope.rolling(today(), **filters)
