"""Forms for importing, editing and mapping frameworks."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from academy.frameworks.models import MappingKind
from academy.programmes.models import ServiceArea


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the choices WTForms wants."""
    return [SelectChoice(value, label) for value, label in pairs]


class ImportForm(FlaskForm):
    file = FileField(
        "Framework file",
        widget=GovFileInput(),
        description="A .csv or .json file in the format described in docs/framework-format.md.",
    )
    code = StringField(
        "Code",
        widget=GovTextInput(),
        description="CSV only. Upper-case letters, digits and _, for example ECS_2027.",
        validators=[Optional()],
    )
    name = StringField("Name", widget=GovTextInput(), description="CSV only.", validators=[Optional()])
    version = StringField("Version", widget=GovTextInput(), description="CSV only, for example 2027.")
    publisher = StringField("Publisher", widget=GovTextInput(), description="CSV only.")
    valid_from = StringField(
        "Valid from", widget=GovTextInput(), description="CSV only. A date written YYYY-MM-DD, for example 2027-04-01."
    )
    valid_to = StringField(
        "Valid to (optional)", widget=GovTextInput(), description="CSV only. YYYY-MM-DD, or leave empty."
    )
    service_area = SelectField(
        "Service area",
        widget=GovSelect(),
        choices=choices((a.value, a.label) for a in ServiceArea),
        default=ServiceArea.ALL.value,
        description="CSV only.",
    )
    source = TextAreaField(
        "Source (optional)", widget=GovTextArea(), description="CSV only. The document's title and web address."
    )
    submit = SubmitField("Import framework", widget=GovSubmitInput())


class ElementForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter a title"),
            Length(max=300, message="Title must be 300 characters or fewer"),
        ],
    )
    description = TextAreaField("Description (optional)", widget=GovTextArea())
    submit = SubmitField("Save", widget=GovSubmitInput())


class NewElementForm(ElementForm):
    parent = SelectField("Goes under", widget=GovSelect(), choices=[])
    number = StringField(
        "Number",
        widget=GovTextInput(),
        description="Unique in this framework, for example 3.4.",
        validators=[
            DataRequired(message="Enter a number"),
            Length(max=20, message="Number must be 20 characters or fewer"),
        ],
    )
    level = StringField(
        "Level (optional)", widget=GovTextInput(), description="For PCF statements: asye or social_worker."
    )
    submit = SubmitField("Add element", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Remove element", widget=GovSubmitInput())


class MappingForm(FlaskForm):
    kind = RadioField(
        "Kind of mapping",
        widget=GovRadioInput(),
        choices=choices(
            [
                (MappingKind.CROSS.value, "Cross-mapping: evidence for one element also shows against the other"),
                (MappingKind.VERSION.value, "Version mapping: a rating on the old element counts for the new one"),
            ]
        ),
        default=MappingKind.CROSS.value,
        validators=[DataRequired(message="Choose the kind of mapping")],
    )
    source = SelectField("From element", widget=GovSelect(), choices=[])
    target = SelectField("To element", widget=GovSelect(), choices=[])
    submit = SubmitField("Add mapping", widget=GovSubmitInput())


class MoveCohortForm(FlaskForm):
    cohort = SelectField("Cohort", widget=GovSelect(), choices=[])
    target = SelectField("Move to", widget=GovSelect(), choices=[])
    submit = SubmitField("Move cohort", widget=GovSubmitInput())
