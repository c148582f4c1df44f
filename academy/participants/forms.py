"""Forms on a participant's page: staff assignment and lifecycle actions."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from academy.core.forms import date_field
from academy.participants.models import AssignmentKind, LeavingDestination, PauseReason


class AssignmentForm(FlaskForm):
    kind = SelectField("Role", widget=GovSelect(), choices=[SelectChoice(k.value, k.label) for k in AssignmentKind])
    user = SelectField("Member of staff", widget=GovSelect(), coerce=int)
    starts_on = date_field("Effective from")
    handover_note = TextAreaField(
        "Handover note",
        widget=GovTextArea(),
        description="Needed when the assessor changes.",
        validators=[Length(max=5000)],
    )
    submit = SubmitField("Save assignment", widget=GovSubmitInput())


class PauseForm(FlaskForm):
    reason = SelectField(
        "Reason for the pause", widget=GovSelect(), choices=[SelectChoice(r.value, r.label) for r in PauseReason]
    )
    starts_on = date_field("Pause starts")
    expected_end = date_field(
        "Expected return date",
        required=False,
        description="Leave blank if not known: later due dates are then on hold.",
    )
    note = TextAreaField("Note", widget=GovTextArea(), validators=[Length(max=2000)])
    submit = SubmitField("Pause", widget=GovSubmitInput())


class ResumeForm(FlaskForm):
    on = date_field("Return date", description="The first day back. For example, 7 9 2026")
    note = TextAreaField("Note", widget=GovTextArea(), validators=[Length(max=2000)])
    submit = SubmitField("Resume", widget=GovSubmitInput())


class FteForm(FlaskForm):
    fte = StringField(
        "New FTE",
        widget=GovTextInput(),
        description="From 0.1 to 1.0",
        validators=[DataRequired(message="Enter the new FTE")],
    )
    on = date_field("Effective from")
    note = TextAreaField("Note", widget=GovTextArea(), validators=[Length(max=2000)])
    submit = SubmitField("Change FTE", widget=GovSubmitInput())


class EndForm(FlaskForm):
    action = SelectField(
        "What happened",
        widget=GovSelect(),
        choices=[SelectChoice("leave", "Left employment"), SelectChoice("withdraw", "Withdrawn from the programme")],
    )
    on = date_field("Date")
    reason = StringField(
        "Reason for leaving or withdrawing",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the reason"), Length(max=200)],
    )
    destination = SelectField(
        "Destination",
        widget=GovSelect(),
        choices=[SelectChoice(d.value, d.label) for d in LeavingDestination],
        default="unknown",
    )
    note = TextAreaField("Note", widget=GovTextArea(), validators=[Length(max=2000)])
    submit = SubmitField("Record", widget=GovSubmitInput())


class ActivateForm(FlaskForm):
    on = date_field("Started on")
    submit = SubmitField("Record as started", widget=GovSubmitInput())
