"""Forms of the portfolio. Element links are rendered by hand (one checkbox and reason per element)."""

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
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from academy.core.forms import AcademyForm
from academy.core.locking import VersionFields
from academy.core.widgets import DateInput
from academy.evidence.models import EvidenceType

# The types the new-entry pages offer: self-assessment is kept on its own page of the logs.
TYPES_OFFERED = [t for t in EvidenceType if t != EvidenceType.SELF_ASSESSMENT]

ANONYMISED_LABEL = "I confirm no child, family or person using services can be identified from this entry"


class EvidenceForm(VersionFields, AcademyForm):
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

    def field_for_error(self, name: str) -> str:
        """A service's refusal about one link's reason shows on the competencies question."""
        return "links" if name.startswith("reason_") else name


class SubmitEntryForm(AcademyForm):
    anonymised_confirmed = BooleanField(ANONYMISED_LABEL, widget=GovCheckboxInput())
    submit = SubmitField("Submit for review", widget=GovSubmitInput())


class AttachmentForm(AcademyForm):
    attachment = FileField(
        "Attach a file", widget=GovFileInput(), description="PDF, DOCX, ODT, PNG or JPEG, up to 10 MB."
    )
    upload = SubmitField("Upload", widget=GovSubmitInput())


class ConfirmForm(AcademyForm):
    """A button-only form (remove an attachment)."""

    confirm = SubmitField("Remove", widget=GovSubmitInput())


class ReflectionForm(AcademyForm):
    """The NQSW's reflection beside an entry someone else wrote."""

    reflection = TextAreaField(
        "Your reflection",
        widget=GovTextArea(),
        description="What you learned from this and what you will do next. "
        "The entry itself stays as its author wrote it.",
        validators=[DataRequired(message="Write your reflection")],
    )
    save = SubmitField("Save your reflection", widget=GovSubmitInput())
