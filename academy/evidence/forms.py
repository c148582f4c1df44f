"""Forms of the portfolio. Element links are rendered by hand (one checkbox and reason per element)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from academy.core.widgets import DateInput
from academy.evidence.logs import SUPERVISION_KINDS

ANONYMISED_LABEL = "I confirm no child, family or person using services can be identified from this entry"


class EvidenceForm(FlaskForm):
    title = StringField("Title", widget=GovTextInput(), validators=[DataRequired("Enter a title"), Length(max=200)])
    activity_date = DateField(
        "Date of the activity",
        widget=DateInput(),
        format="%d %m %Y",
        description="For example, 27 3 2026",
        validators=[DataRequired("Enter the date of the activity as a real date")],
    )
    narrative = TextAreaField(
        "What happened and what it shows",
        widget=GovTextArea(),
        description="Do not include names, dates of birth, addresses or NHS numbers.",
        validators=[Length(max=20000)],
    )
    observer_name = StringField("Observer's name", widget=GovTextInput(), validators=[Length(max=200)])
    observer_is_registered = RadioField(
        "Is the observer a registered social worker?",
        widget=GovRadioInput(),
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        validators=[Optional()],
    )
    setting = StringField(
        "Setting", widget=GovTextInput(), description="For example, a home visit.", validators=[Length(max=200)]
    )
    feedback_source = RadioField("Who gave the feedback?", widget=GovRadioInput(), choices=[], validators=[Optional()])
    hours = DecimalField("Hours", widget=GovTextInput(), places=2, validators=[Optional()])
    report_kind = StringField(
        "Kind of report",
        widget=GovTextInput(),
        description="For example, a child and family assessment.",
        validators=[Length(max=200)],
    )
    milestone_code = SelectField("For which review?", widget=GovSelect(), choices=[], validators=[Optional()])
    links = HiddenField("Competencies this evidences")
    attachment = FileField(
        "Attach a file (optional)", widget=GovFileInput(), description="PDF, DOCX, ODT, PNG or JPEG, up to 10 MB."
    )
    anonymised_confirmed = BooleanField(ANONYMISED_LABEL, widget=GovCheckboxInput())
    save = SubmitField("Save as draft", widget=GovSubmitInput())
    submit_for_review = SubmitField("Save and submit for review", widget=GovSubmitInput())


class SubmitEntryForm(FlaskForm):
    anonymised_confirmed = BooleanField(ANONYMISED_LABEL, widget=GovCheckboxInput())
    submit = SubmitField("Submit for review", widget=GovSubmitInput())


class AttachmentForm(FlaskForm):
    attachment = FileField(
        "Attach a file", widget=GovFileInput(), description="PDF, DOCX, ODT, PNG or JPEG, up to 10 MB."
    )
    upload = SubmitField("Upload", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button-only form (remove an attachment)."""

    confirm = SubmitField("Remove", widget=GovSubmitInput())


class ProtectedTimeForm(FlaskForm):
    taken_on = DateField(
        "Date", widget=DateInput(), format="%d %m %Y", validators=[DataRequired("Enter the date as a real date")]
    )
    hours = DecimalField(
        "Hours", widget=GovTextInput(), places=2, validators=[InputRequired("Enter the hours as a number")]
    )
    activity = StringField(
        "Activity", widget=GovTextInput(), validators=[DataRequired("Say what you did with the time"), Length(max=300)]
    )
    submit = SubmitField("Add to the log", widget=GovSubmitInput())


class CaseloadForm(FlaskForm):
    taken_on = DateField(
        "Date", widget=DateInput(), format="%d %m %Y", validators=[DataRequired("Enter the date as a real date")]
    )
    cases = IntegerField(
        "Cases held",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the number of cases held"), NumberRange(0, 200, "Enter 0 to 200")],
    )
    submit = SubmitField("Record caseload", widget=GovSubmitInput())


class SupervisionForm(FlaskForm):
    held_on = DateField(
        "Date", widget=DateInput(), format="%d %m %Y", validators=[DataRequired("Enter the date as a real date")]
    )
    kind = RadioField(
        "Kind",
        widget=GovRadioInput(),
        choices=[SelectChoice(v, label) for v, label in SUPERVISION_KINDS],
        validators=[InputRequired("Choose the kind")],
    )
    was_held = RadioField(
        "Was it held?",
        widget=GovRadioInput(),
        choices=[SelectChoice("yes", "Yes, it was held"), SelectChoice("no", "No, it was cancelled")],
        validators=[InputRequired("Say whether it was held")],
    )
    duration_minutes = IntegerField("Length in minutes", widget=GovTextInput(), validators=[Optional()])
    submit = SubmitField("Record supervision", widget=GovSubmitInput())
