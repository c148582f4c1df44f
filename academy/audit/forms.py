"""The audit trail's filter: a GET form, so a filtered page has its own address and its pages keep it."""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField

from academy.audit.describe import action_words, label
from academy.audit.models import AuditEvent
from academy.core.dates import LONDON
from academy.core.forms import AcademyForm, date_field

ANY = ""
THE_SYSTEM = "system"
NOT_A_DATE = "Not a valid date value."


class AuditFilterForm(AcademyForm):
    class Meta:
        csrf = False  # reading only; a token would also leak into the address

    person = SelectField("Who did it", widget=GovSelect(), default=ANY)
    participant = SelectField("Whose record", widget=GovSelect(), default=ANY)
    action = SelectField("What happened", widget=GovSelect(), default=ANY)
    from_date = date_field("From date", required=False)
    to_date = date_field("To date", required=False)
    submit = SubmitField("Show events", widget=GovSubmitInput())

    def set_choices(self, people: list[tuple[int, str]], participants: list[tuple[int, str]], actions: list[str]):
        """The people, participants and actions that appear in the trail, in words."""
        self.person.choices = [(ANY, "Anyone"), (THE_SYSTEM, "The system")] + [(str(i), n) for i, n in people]
        self.participant.choices = [(ANY, "Anyone's")] + [(str(i), n) for i, n in participants]
        areas = sorted({action.partition(".")[0] for action in actions})
        by_area = [[(area, f"{label(area)}: anything")] for area in areas]
        for group, area in zip(by_area, areas, strict=True):
            group += [(a, action_words(a)) for a in sorted(actions) if a.partition(".")[0] == area and "." in a]
        self.action.choices = [(ANY, "Anything")] + [choice for group in by_area for choice in group]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field, name in ((self.from_date, "from"), (self.to_date, "to")):
            if NOT_A_DATE in field.errors:
                field.errors = [f"Enter the {name} date as day, month and year, for example 7 9 2026"]
        if valid and self.from_date.data and self.to_date.data and self.to_date.data < self.from_date.data:
            self.to_date.errors = ["The to date must be the same as or after the from date"]
            return False
        return valid

    def narrow(self, query: sa.Select) -> sa.Select:
        """`query` (of audit events) narrowed to the (validated) choices."""
        if self.person.data == THE_SYSTEM:
            query = query.where(AuditEvent.actor_id.is_(None))
        elif self.person.data:
            query = query.where(AuditEvent.actor_id == int(self.person.data))
        if self.participant.data:
            query = query.where(AuditEvent.participant_id == int(self.participant.data))
        if self.action.data:
            action = self.action.data
            query = query.where(sa.or_(AuditEvent.action == action, AuditEvent.action.startswith(f"{action}.")))
        if self.from_date.data:
            query = query.where(AuditEvent.at >= _start_of(self.from_date.data))
        if self.to_date.data:
            query = query.where(AuditEvent.at < _start_of(self.to_date.data + timedelta(days=1)))
        return query


def _start_of(day: date) -> datetime:
    """Midnight at the start of `day` in England, in UTC (the trail's times are UTC)."""
    return datetime.combine(day, time.min, tzinfo=LONDON).astimezone(UTC)
