"""Cohort, enrolment, import, assignment and lifecycle forms: input shape only, no decisions."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    EmailField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from academy.cohorts.models import AssignmentKind, EmploymentType, LeavingDestination, PauseReason
from academy.core.widgets import DateInput

DATE_FORMAT = "%d %m %Y"


def date_field(label: str, *, required: bool = True, message: str = "", description: str = "") -> DateField:
    validators = [DataRequired(message=message or f"Enter the {label.lower()} as day, month and year")]
    return DateField(
        label,
        format=DATE_FORMAT,
        widget=DateInput(),
        description=description or "For example, 7 9 2026",
        validators=validators if required else [Optional()],
    )


class CohortForm(FlaskForm):
    name = StringField(
        "Cohort name",
        widget=GovTextInput(),
        description="For example, September 2026 intake",
        validators=[DataRequired(message="Enter a name for the cohort"), Length(max=200)],
    )
    start_date = date_field("Start date")
    programme = SelectField("Programme", widget=GovSelect(), coerce=int)
    frameworks = SelectMultipleField("Frameworks assessed against", widget=GovCheckboxesInput(), coerce=int)
    submit = SubmitField("Create cohort", widget=GovSubmitInput())


class CohortEditForm(FlaskForm):
    name = StringField(
        "Cohort name",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter a name for the cohort"), Length(max=200)],
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class EnrolForm(FlaskForm):
    given_name = StringField(
        "Given name", widget=GovTextInput(), validators=[DataRequired(message="Enter the given name"), Length(max=100)]
    )
    family_name = StringField(
        "Family name",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the family name"), Length(max=100)],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter an email address"), Email(message="Enter a valid email address")],
    )
    start_date = date_field(
        "Start date", required=False, description="Leave blank to use the cohort's start date. For example, 7 9 2026"
    )
    fte = StringField(
        "Contracted FTE",
        widget=GovTextInput(),
        default="1.0",
        description="From 0.1 to 1.0",
        validators=[DataRequired(message="Enter the FTE")],
    )
    team = StringField("Team", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    swe_number = StringField(
        "Social Work England number",
        widget=GovTextInput(),
        description="SW followed by digits",
        validators=[Optional(), Length(max=20)],
    )
    employment_type = SelectField(
        "Employment type",
        widget=GovSelect(),
        choices=[SelectChoice(e.value, e.label) for e in EmploymentType],
        default="permanent",
    )
    assessor = SelectField("Assessor", widget=GovSelect(), coerce=int)
    mentor = SelectField("Mentor", widget=GovSelect(), coerce=int)
    line_manager = SelectField("Line manager", widget=GovSelect(), coerce=int)
    submit = SubmitField("Enrol and send invitation", widget=GovSubmitInput())


class ImportForm(FlaskForm):
    file = FileField(
        "CSV file",
        widget=GovFileInput(),
        description="UTF-8 CSV with a header line. The columns are listed below.",
        validators=[
            FileRequired(message="Choose a CSV file to upload"),
            FileAllowed(["csv"], message="The file must be a .csv file"),
        ],
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Enrol everyone", widget=GovSubmitInput())


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


class SimpleForm(FlaskForm):
    """A button-only form (close a cohort, resend an invitation): only the CSRF token."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
