"""Cohort, enrolment, import, assignment and lifecycle forms: input shape only, no decisions."""

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
    Form,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional, Regexp, ValidationError

from academy.core.errors import DomainError
from academy.core.forms import AcademyForm, date_field
from academy.participants.lifecycle import parse_fte
from academy.participants.models import EmploymentType

SWE_NUMBER = r"^SW\d{1,7}$"
TOO_LONG = "This is longer than %(max)d characters."


class CohortForm(AcademyForm):
    name = StringField(
        "Cohort name",
        widget=GovTextInput(),
        description="For example, September 2026 intake",
        validators=[DataRequired(message="Enter a name for the cohort"), Length(max=200)],
    )
    start_date = date_field("Start date")
    programme = SelectField("Programme", widget=GovSelect(), coerce=int)
    frameworks = SelectMultipleField("Frameworks assessed against", widget=GovCheckboxesInput(), coerce=int)
    # The start date the programme and frameworks were proposed for: a changed date is proposed for again.
    proposed_for = HiddenField()
    propose = SubmitField("Continue", widget=GovSubmitInput())
    submit = SubmitField("Create cohort", widget=GovSubmitInput())


class CohortEditForm(AcademyForm):
    name = StringField(
        "Cohort name",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter a name for the cohort"), Length(max=200)],
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())


def _normalise_email(value: str | None) -> str:
    return (value or "").strip().lower()


def _normalise_swe_number(value: str | None) -> str:
    return (value or "").upper().replace(" ", "")


def _normalise_employment(value: str | None) -> str:
    return (value or "").strip().lower().replace("-", "_").replace(" ", "_")


def _valid_fte(form: Form, field: StringField) -> None:
    try:
        parse_fte(field.data)
    except DomainError as error:
        raise ValidationError(error.message) from None


class EnrolmentDetails(Form):
    """One person's enrolment details, as typed on the enrolment page or read from a CSV row.

    The web form and the CSV importer both check them with this class, so the rules and the messages are
    the same whichever way a person is enrolled.
    """

    given_name = StringField(
        "Given name",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the given name"), Length(max=100, message=TOO_LONG)],
    )
    family_name = StringField(
        "Family name",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the family name"), Length(max=100, message=TOO_LONG)],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[_normalise_email],
        validators=[
            DataRequired(message="Enter an email address"),
            Length(max=254, message=TOO_LONG),
            Email(message="This is not a valid email address: write it like name@example.org"),
        ],
    )
    fte = StringField(
        "Contracted FTE",
        widget=GovTextInput(),
        default="1.0",
        description="From 0.1 to 1.0",
        validators=[DataRequired(message="Enter the FTE"), _valid_fte],
    )
    team = StringField("Team", widget=GovTextInput(), validators=[Optional(), Length(max=200, message=TOO_LONG)])
    swe_number = StringField(
        "Social Work England number",
        widget=GovTextInput(),
        description="SW followed by digits",
        filters=[_normalise_swe_number],
        validators=[
            Optional(),
            Regexp(SWE_NUMBER, message="This is not a Social Work England number (SW followed by digits)."),
        ],
    )
    employment_type = SelectField(
        "Employment type",
        widget=GovSelect(),
        choices=[SelectChoice(e.value, e.label) for e in EmploymentType],
        default="permanent",
        filters=[_normalise_employment],
        validate_choice=False,  # AnyOf says which values there are
        validators=[
            AnyOf([e.value for e in EmploymentType], message="This is not one of: permanent, fixed_term, agency.")
        ],
    )


class EnrolForm(EnrolmentDetails, AcademyForm):
    start_date = date_field(
        "Start date", required=False, description="Leave blank to use the cohort's start date. For example, 7 9 2026"
    )
    assessor = SelectField("Assessor", widget=GovSelect(), coerce=int)
    mentor = SelectField("Mentor", widget=GovSelect(), coerce=int)
    line_manager = SelectField("Line manager", widget=GovSelect(), coerce=int)
    submit = SubmitField("Enrol and send invitation", widget=GovSubmitInput())


class ImportForm(AcademyForm):
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


class ConfirmForm(AcademyForm):
    submit = SubmitField("Enrol everyone", widget=GovSubmitInput())


class CohortFrameworkForm(AcademyForm):
    """Add a framework to a cohort, or (with `framework` from the row's button) remove one."""

    framework = SelectField("Framework to add", widget=GovSelect(), coerce=int)
    submit = SubmitField("Add framework", widget=GovSubmitInput())
