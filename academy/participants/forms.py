"""Forms on a participant's page: staff assignment and lifecycle actions."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from academy.core.forms import AcademyForm, date_field
from academy.core.locking import VersionFields
from academy.participants.models import AssignmentKind, EmploymentType, LeavingDestination, PauseReason

TOO_LONG = "This is longer than %(max)d characters."


class AssignmentForm(AcademyForm):
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


class PauseForm(AcademyForm):
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


class ResumeForm(AcademyForm):
    on = date_field("Return date", description="The first day back. For example, 7 9 2026")
    note = TextAreaField("Note", widget=GovTextArea(), validators=[Length(max=2000)])
    submit = SubmitField("Resume", widget=GovSubmitInput())


class FteForm(AcademyForm):
    fte = StringField(
        "New FTE",
        widget=GovTextInput(),
        description="From 0.1 to 1.0",
        validators=[DataRequired(message="Enter the new FTE")],
    )
    on = date_field("Effective from")
    note = TextAreaField("Note", widget=GovTextArea(), validators=[Length(max=2000)])
    submit = SubmitField("Change FTE", widget=GovSubmitInput())


class EndForm(AcademyForm):
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


class ActivateForm(AcademyForm):
    on = date_field("Started on")
    submit = SubmitField("Record as started", widget=GovSubmitInput())


class DetailsForm(VersionFields, AcademyForm):
    """Correcting a participant's name, email, team, SWE number and employment type."""

    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the full name"), Length(max=200, message=TOO_LONG)],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        description="They sign in with it, and invitations and notifications go to it.",
        filters=[lambda value: (value or "").strip().lower()],
        validators=[
            DataRequired(message="Enter an email address"),
            Length(max=254, message=TOO_LONG),
            Email(message="This is not a valid email address: write it like name@example.org"),
        ],
    )
    team = StringField("Team", widget=GovTextInput(), validators=[Optional(), Length(max=200, message=TOO_LONG)])
    swe_number = StringField(
        "Social Work England number",
        widget=GovTextInput(),
        description="SW followed by digits",
        filters=[lambda value: (value or "").upper().replace(" ", "")],
        validators=[
            Optional(),
            Regexp(r"^SW\d{1,7}$", message="This is not a Social Work England number (SW followed by digits)."),
        ],
    )
    employment_type = SelectField(
        "Employment type", widget=GovSelect(), choices=[SelectChoice(e.value, e.label) for e in EmploymentType]
    )
    submit = SubmitField("Save details", widget=GovSubmitInput())
