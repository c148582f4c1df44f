"""The programme settings form; milestone fields are added per programme."""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import BooleanField, DecimalField, IntegerField, SelectChoice, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from academy.core.forms import AcademyForm
from academy.core.locking import VersionFields
from academy.programmes.models import Programme


def _count(label: str, low: int = 0, high: int = 50, description: str = "") -> IntegerField:
    return IntegerField(
        label,
        widget=GovTextInput(),
        description=description,
        validators=[
            InputRequired(message=f"Enter {label.lower()}"),
            NumberRange(low, high, message=f"{label} must be a whole number from {low} to {high}"),
        ],
    )


class ProgrammeSettingsForm(VersionFields, AcademyForm):
    direct_observation = _count("Direct observations")
    feedback_person_using_services = _count("Feedback from people who use services")
    feedback_professional = _count("Feedback from other professionals")
    written_report = _count("Assessed written reports")
    weekly_until_week = _count("Weekly supervision until week", 0, 52)
    fortnightly_until_month = _count("Fortnightly supervision until month", 0, 36)
    later_interval_days = _count("Days between supervisions after that", 1, 92)
    protected_time_percent = DecimalField(
        "Protected development time (% of contracted hours)",
        widget=GovTextInput(),
        places=1,
        validators=[
            InputRequired(message="Enter the protected time share"),
            NumberRange(0, 50, message="Enter 0 to 50"),
        ],
    )
    contracted_hours_per_week = DecimalField(
        "Full-time contracted hours per week",
        widget=GovTextInput(),
        places=1,
        validators=[InputRequired(message="Enter the contracted hours"), NumberRange(1, 60, message="Enter 1 to 60")],
    )
    caseload_target = _count("Caseload target (cases)", 0, 100)
    asye_months = _count(
        "Length of the assessed period (months, full time)",
        6,
        24,
        description="12 for the ASYE, 24 for the early career development programme. Part-time work stretches it.",
    )
    meeting_threshold = SelectField("Lowest rating that counts as meeting", widget=GovSelect(), coerce=int)
    submit = SubmitField("Save settings", widget=GovSubmitInput())


def settings_form_for(programme: Programme, **kwargs) -> ProgrammeSettingsForm:
    """The form with one 'months after start' field per milestone of `programme`."""

    class Form(ProgrammeSettingsForm):
        pass

    for milestone in programme.milestones:
        setattr(Form, f"months_{milestone.code}", _count(f"{milestone.title}: months after start", 0, 60))
    if "third_year" in programme.settings:
        Form.third_year = BooleanField(
            "Add the academy's third year (consolidation) to new cohorts",
            widget=GovCheckboxInput(),
            description="Off: new cohorts end with the employer's assessment. On: they also get the year 3 reviews.",
        )
    form = Form(**kwargs)
    form.meeting_threshold.choices = [
        SelectChoice(s["value"], s["label"]) for s in programme.settings.get("rating_scale", [])
    ]
    return form
