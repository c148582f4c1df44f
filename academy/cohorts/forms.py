"""Cohort, enrolment, import, assignment and lifecycle forms: input shape only, no decisions."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    EmailField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from academy.core.forms import date_field
from academy.participants.models import EmploymentType


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
