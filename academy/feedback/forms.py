"""Forms: asking for feedback, the paper answer, the settings, and the four answer forms people outside see.

Answer forms put the NQSW's first name into their questions (`personalise`). Comments on elements are
read from the post by hand (one box per element asked about), like the portfolio's element links.
"""

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectChoice, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from academy.core.forms import AcademyForm, date_field
from academy.evidence.models import EvidenceType
from academy.evidence.services import FEEDBACK_SOURCES

NO_NAMES = "Do not name the child, the family or anyone else, and do not give addresses or dates of birth."
TEXT_LIMIT = 3000
ELEMENT_LIMIT = 1000


class RequestForm(AcademyForm):
    relationship = RadioField(
        "Who are you asking?",
        widget=GovRadioInput(),
        choices=[],
        validators=[InputRequired("Choose who you are asking")],
    )
    name = StringField(
        "Their name",
        widget=GovTextInput(),
        description="Used only to greet them. It is not shown with their feedback.",
        validators=[DataRequired("Enter the name of the person you are asking"), Length(max=200)],
    )
    how = RadioField(
        "How will they get the request?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice("email", "By email, with a link they can answer on a phone"),
            SelectChoice("paper", "I will hand them a printed form"),
        ],
        validators=[InputRequired("Choose how they will get the request")],
    )
    email = StringField(
        "Their email address (if by email)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=254, message="Keep the email address to 254 characters or fewer")],
    )
    about = StringField(
        "Which visit or piece of work is it about?",
        widget=GovTextInput(),
        description="For example, a home visit in March. " + NO_NAMES,
        validators=[DataRequired("Say which visit or piece of work it is about"), Length(max=300)],
    )
    activity_date = date_field("Date of the visit or work")
    message = TextAreaField(
        "A message to them (optional)",
        widget=GovTextArea(),
        validators=[Length(max=1000, message="Keep the message to 1,000 characters or fewer")],
    )
    elements = SelectMultipleField(
        "Which elements should the feedback speak to?",
        widget=GovCheckboxesInput(),
        description="Choose up to 6. Professionals and observers comment on each; everyone's answer is linked to them.",
        coerce=int,
        choices=[],
        validators=[Optional()],
    )
    submit = SubmitField("Send the request", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.how.data == "email" and not (self.email.data or "").strip():
            self.email.errors = [*list(self.email.errors or []), "Enter their email address, or choose a printed form"]
            ok = False
        return ok


class PaperForm(AcademyForm):
    given_on = date_field("Date the feedback was given")
    attachment = FileField(
        "Scan or photo of the paper feedback",
        widget=GovFileInput(),
        description="PDF, DOCX, ODT, PNG or JPEG, up to 10 MB.",
    )
    summary = TextAreaField(
        "Your summary of it (optional)",
        widget=GovTextArea(),
        description="The paper stays as it was written; nobody can change it once uploaded. " + NO_NAMES,
        validators=[Length(max=5000)],
    )
    confirm = BooleanField(
        "I confirm no child, family or person using services can be identified from the scan",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Confirm that nobody can be identified from the scan")],
    )
    submit = SubmitField("Upload the paper feedback", widget=GovSubmitInput())


class SettingsForm(AcademyForm):
    enabled = RadioField(
        "Can NQSWs and assessors ask people outside the academy for feedback?",
        widget=GovRadioInput(),
        choices=[SelectChoice("on", "Yes"), SelectChoice("off", "No, switch outside feedback off")],
        validators=[InputRequired("Choose whether outside feedback is on")],
    )
    allowed = SelectMultipleField("Who may be asked?", widget=GovCheckboxesInput(), choices=[], validators=[Optional()])
    submit = SubmitField("Save settings", widget=GovSubmitInput())


class ButtonForm(AcademyForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())


# --- what the person asked sees --------------------------------------------------------------------


class ConsentForm(AcademyForm):
    consent = BooleanField(
        "I agree to give feedback, and for it to be kept in the social worker's record as described above",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Tick the box to agree, or close this page if you do not want to answer")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class AnswerForm(AcademyForm):
    """What every answer form has: the identifier check's confirmation and the button."""

    checked = BooleanField("I have checked: my answer does not name or identify anyone", widget=GovCheckboxInput())
    submit = SubmitField("Send my feedback", widget=GovSubmitInput())

    # Questions whose text carries the NQSW's first name, with "{name}" in the label.
    def personalise(self, first_name: str) -> None:
        for field in self:
            if "{name}" in str(field.label.text):
                field.label.text = field.label.text.replace("{name}", first_name)

    def text_fields(self) -> list:
        return [f for f in self if f.type in ("TextAreaField", "StringField")]

    def question_pairs(self) -> list[tuple[str, str]]:
        """Each question and its answer in words, in order (the buttons and the confirmation left out)."""
        pairs = []
        for field in self:
            if field.type in ("CSRFTokenField", "SubmitField") or field.name == "checked":
                continue
            if field.type == "RadioField":
                # iter_choices yields (value, label, selected, attributes): the answer in the words shown
                given = {value: label for value, label, *_ in field.iter_choices()}.get(field.data, "")
                pairs.append((str(field.label.text), str(given or "")))
            else:
                pairs.append((str(field.label.text), (field.data or "").strip()))
        return pairs


PICTURE_SCALE = [SelectChoice("yes", "Yes"), SelectChoice("a_bit", "A bit"), SelectChoice("no", "No")]


class YoungPersonForm(AnswerForm):
    """Children and young people: three picture-scale questions and one box."""

    listened = RadioField(
        "Did {name} listen to you?", choices=PICTURE_SCALE, validators=[InputRequired("Choose an answer")]
    )
    explained = RadioField(
        "Did {name} explain things so you understood?",
        choices=PICTURE_SCALE,
        validators=[InputRequired("Choose an answer")],
    )
    helped = RadioField("Did {name} help you?", choices=PICTURE_SCALE, validators=[InputRequired("Choose an answer")])
    anything_else = TextAreaField(
        "Is there anything else you want to say? (optional)",
        widget=GovTextArea(),
        description="Please do not write anyone's name.",
        validators=[Length(max=TEXT_LIMIT)],
    )


OFTEN = [
    SelectChoice("always", "Always"),
    SelectChoice("mostly", "Most of the time"),
    SelectChoice("sometimes", "Sometimes"),
    SelectChoice("not_really", "Not really"),
]


class PersonForm(AnswerForm):
    """Parents, carers and adults who use services."""

    listened = RadioField(
        "Did {name} listen to you and take your views seriously?",
        widget=GovRadioInput(),
        choices=OFTEN,
        validators=[InputRequired("Choose how often they listened to you")],
    )
    explained = RadioField(
        "Did {name} explain things clearly, including what would happen next?",
        widget=GovRadioInput(),
        choices=OFTEN,
        validators=[InputRequired("Choose how often they explained things clearly")],
    )
    went_well = TextAreaField(
        "What did {name} do well?",
        widget=GovTextArea(),
        description=NO_NAMES,
        validators=[DataRequired("Say what went well"), Length(max=TEXT_LIMIT)],
    )
    better = TextAreaField(
        "What could {name} do better? (optional)", widget=GovTextArea(), validators=[Length(max=TEXT_LIMIT)]
    )


class ProfessionalForm(AnswerForm):
    """Professionals in other agencies; comments on each element asked about follow the questions."""

    work = RadioField(
        "Which best describes your work?",
        widget=GovRadioInput(),
        choices=[SelectChoice(v, label) for v, label in FEEDBACK_SOURCES[EvidenceType.FEEDBACK_PROFESSIONAL]],
        validators=[InputRequired("Choose which best describes your work")],
    )
    went_well = TextAreaField(
        "What did {name} do well in their work with you?",
        widget=GovTextArea(),
        description=NO_NAMES,
        validators=[DataRequired("Say what went well"), Length(max=TEXT_LIMIT)],
    )
    develop = TextAreaField(
        "What could {name} develop? (optional)", widget=GovTextArea(), validators=[Length(max=TEXT_LIMIT)]
    )


class ObserverForm(AnswerForm):
    """Practice observers: a direct observation structured against the elements asked about."""

    setting = StringField(
        "Where did you observe {name}?",
        widget=GovTextInput(),
        description="For example, a home visit or a child protection conference. Do not give an address.",
        validators=[DataRequired("Say where you observed them"), Length(max=200)],
    )
    registered = RadioField(
        "Are you a registered social worker?",
        widget=GovRadioInput(),
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        validators=[InputRequired("Say whether you are a registered social worker")],
    )
    went_well = TextAreaField(
        "What did {name} do well?",
        widget=GovTextArea(),
        description=NO_NAMES,
        validators=[DataRequired("Say what went well"), Length(max=TEXT_LIMIT)],
    )
    develop = TextAreaField(
        "What could {name} develop? (optional)", widget=GovTextArea(), validators=[Length(max=TEXT_LIMIT)]
    )
