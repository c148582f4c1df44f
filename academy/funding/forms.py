"""Funding forms: input shape only."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange

from academy.core.forms import AcademyForm, date_field
from academy.funding.models import ClaimStatus
from academy.participants.models import EmploymentType


class DetailsForm(AcademyForm):
    qualified_on = date_field(
        "Date of qualifying as a social worker", required=False, description="For example, 14 7 2026"
    )
    funded_before = BooleanField(
        "DfE or Skills for Care has funded an ASYE for this person before", widget=GovCheckboxInput()
    )
    submit = SubmitField("Save funding details", widget=GovSubmitInput())


class ClaimForm(AcademyForm):
    status = RadioField(
        "Claim status",
        widget=GovRadioInput(),
        choices=[SelectChoice(s.value, s.label) for s in ClaimStatus],
        validators=[InputRequired(message="Choose the claim status")],
    )
    claimed_on = date_field("Date claimed")
    decided_on = date_field("Date of DfE's decision", required=False, description="When it was paid or refused")
    reason = TextAreaField("Reason DfE gave for refusing", widget=GovTextArea(), validators=[Length(max=2000)])
    submit = SubmitField("Save claim", widget=GovSubmitInput())


class RulesForm(AcademyForm):
    employment_types = SelectMultipleField(
        "Employment types that are eligible",
        widget=GovCheckboxesInput(),
        choices=[SelectChoice(e.value, e.label) for e in EmploymentType],
    )
    max_years = IntegerField(
        "Most years between qualifying and starting the ASYE",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a number of years"), NumberRange(1, 10, message="Enter 1 to 10")],
    )
    submit = SubmitField("Save the rules", widget=GovSubmitInput())
