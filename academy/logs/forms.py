"""Forms for the logs: protected time, caseload and supervision."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from academy.core.forms import AcademyForm
from academy.core.widgets import DateInput
from academy.logs.services import SUPERVISION_KINDS


class ProtectedTimeForm(AcademyForm):
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


class CaseloadForm(AcademyForm):
    taken_on = DateField(
        "Date", widget=DateInput(), format="%d %m %Y", validators=[DataRequired("Enter the date as a real date")]
    )
    cases = IntegerField(
        "Cases held",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the number of cases held"), NumberRange(0, 200, "Enter 0 to 200")],
    )
    submit = SubmitField("Record caseload", widget=GovSubmitInput())


class SupervisionForm(AcademyForm):
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
