"""Forms of the assessment pages: input shape and field checks only; the rules live in the services."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import DateField, HiddenField, RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from academy.assessment.models import Review
from academy.assessment.services.concerns import CATEGORIES
from academy.assessment.services.ratings import element_name
from academy.core import dates, widgets
from academy.core.forms import AcademyForm
from academy.core.locking import VersionFields

DATE_FORMAT = "%d %m %Y"
SKIP_LABEL = "Do not rate now"
DATE_MESSAGE = "Enter a real date, for example 27 3 2026"


class DateInput(widgets.DateInput):
    """GOV.UK day/month/year inputs that also cope with a post that left the date out entirely."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = ["", "", ""]
        return super().map_gov_params(field, **kwargs)


def choices(pairs: list[tuple]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def scale_choices(scale: list[dict]) -> list[SelectChoice]:
    return choices([(str(point["value"]), point["label"]) for point in scale])


class RatingForm(AcademyForm):
    value = RadioField("Rating", widget=GovRadioInput(), validators=[InputRequired(message="Choose a rating")])
    comment = TextAreaField("Comment (optional)", widget=GovTextArea())
    submit = SubmitField("Save rating", widget=GovSubmitInput())


class CorrectionForm(AcademyForm):
    value = RadioField(
        "Corrected rating", widget=GovRadioInput(), validators=[InputRequired(message="Choose a rating")]
    )
    reason = TextAreaField(
        "Reason for the correction",
        widget=GovTextArea(),
        validators=[DataRequired(message="Give the reason for the correction")],
    )
    submit = SubmitField("Save correction", widget=GovSubmitInput())


class ReturnForm(AcademyForm):
    feedback = TextAreaField(
        "Feedback for the NQSW",
        widget=GovTextArea(),
        description="Say what needs to change before you can accept it.",
        validators=[DataRequired(message="Say what the NQSW needs to change before you return the entry")],
    )
    submit = SubmitField("Return with feedback", widget=GovSubmitInput())


def accept_form_class(links: list, scale: list[dict]) -> type[AcademyForm]:
    """An accept form with one rating question per element the entry is linked to (nothing chosen at first)."""
    options = [*scale_choices(scale), SelectChoice("skip", SKIP_LABEL)]
    fields: dict = {
        f"rating_{link.element_id}": RadioField(
            f"Rating for {element_name(link.element)}",
            choices=options,
            widget=GovRadioInput(),
            validators=[
                InputRequired(
                    message=f"Choose a rating for {element_name(link.element)}, or \u201cDo not rate now\u201d"
                )
            ],
        )
        for link in links
    }
    fields["comment"] = TextAreaField("Comment for the NQSW (optional)", widget=GovTextArea())
    fields["accept"] = SubmitField("Accept and save ratings", widget=GovSubmitInput())
    return type("AcceptForm", (AcademyForm,), fields)


def grid_form_class(elements: list, scale: list[dict]) -> type[AcademyForm]:
    """The rating grid: one optional choice per element (left blank: not rated now); the page draws the table."""
    fields: dict = {
        f"rating_{element.id}": RadioField(
            f"Rating for {element_name(element)}", choices=scale_choices(scale), validate_choice=False
        )
        for element in elements
    }
    fields["submit"] = SubmitField("Save the ratings you chose", widget=GovSubmitInput())
    return type("RatingGridForm", (AcademyForm,), fields)


class ReviewForm(VersionFields, AcademyForm):
    held_on = DateField(
        "Date the review was held", format=DATE_FORMAT, widget=DateInput(), validators=[InputRequired(DATE_MESSAGE)]
    )
    attendees = TextAreaField(
        "Who attended", widget=GovTextArea(), validators=[DataRequired(message="List who attended the review")]
    )
    previous_actions_progress = TextAreaField(
        "What happened to each action agreed at the previous review",
        widget=GovTextArea(),
        description="Take each action in turn: done, in progress or dropped, and why.",
    )
    progress_summary = TextAreaField(
        "Progress summary", widget=GovTextArea(), validators=[DataRequired(message="Summarise the progress made")]
    )
    on_track = RadioField(
        "Is the NQSW on track?",
        choices=choices([("yes", "Yes"), ("no", "No")]),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Say whether the NQSW is on track")],
    )
    actions = TextAreaField("Actions and development plan agreed", widget=GovTextArea())
    interim_assessment = TextAreaField(
        "Assessor's assessment", widget=GovTextArea(), validators=[DataRequired(message="Write your assessment")]
    )
    submit = SubmitField("Save review", widget=GovSubmitInput())

    # Set by the view when the previous review agreed actions: then their follow-up is required.
    follow_up_needed = False

    def validate_held_on(self, field) -> None:
        # Checked with the other fields, so a future date is refused on the first submit with every error.
        if field.data is not None and field.data > dates.today():
            raise ValidationError("The review date must be today or in the past")

    def validate_previous_actions_progress(self, field) -> None:
        if self.follow_up_needed and not (field.data or "").strip():
            raise ValidationError("Say what happened to each action agreed at the previous review")


def review_form(review: Review | None) -> ReviewForm:
    """The record form, filled in from the review recorded so far."""
    form = ReviewForm(obj=review)
    if review is not None and review.on_track is not None:
        form.on_track.data = "yes" if review.on_track else "no"
    return form


class CommentForm(VersionFields, AcademyForm):
    comment = TextAreaField(
        "Your comment", widget=GovTextArea(), validators=[DataRequired(message="Enter your comment")]
    )
    submit = SubmitField("Save comment", widget=GovSubmitInput())


class SignForm(AcademyForm):
    submit = SubmitField("Sign the review", widget=GovSubmitInput())


class RecommendationForm(AcademyForm):
    recommendation = RadioField(
        "Your recommendation",
        choices=choices([("pass", "PASS"), ("fail", "FAIL")]),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose PASS or FAIL")],
    )
    narrative = TextAreaField(
        "Holistic summary against the framework",
        widget=GovTextArea(),
        description="Your overall judgement of the year's practice against each area of the framework, "
        "and the evidence behind it.",
        validators=[DataRequired(message="Write your holistic summary against the framework")],
    )
    no_concern_reason = TextAreaField(
        "For a FAIL with no earlier concern: why no concern and action plan was recorded",
        widget=GovTextArea(),
        description="A FAIL normally follows a concern with an action plan recorded at least one review "
        "earlier. Leave this blank if there was one.",
    )
    # Set by the FAIL confirmation page, which names the consequences before the FAIL goes to the panel.
    confirm_fail = HiddenField()
    submit = SubmitField("Send to the moderation panel", widget=GovSubmitInput())


def _chair_id(value):
    return int(value) if value not in (None, "") else None


class PanelDecisionForm(AcademyForm):
    decision = RadioField(
        "Panel decision",
        choices=choices([("confirm", "Confirm the recommendation"), ("refer_back", "Refer it back to the assessor")]),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose confirm or refer back")],
    )
    panel_date = DateField(
        "Date of the panel", format=DATE_FORMAT, widget=DateInput(), validators=[InputRequired(DATE_MESSAGE)]
    )
    chair = SelectField(
        "Chair of the panel",
        coerce=_chair_id,
        widget=GovSelect(),
        validators=[DataRequired(message="Choose the chair")],
    )
    members = TextAreaField(
        "Panel members",
        widget=GovTextArea(),
        description="Everyone who sat on the panel, with their role.",
        validators=[DataRequired(message="List the panel members")],
    )
    reason = TextAreaField(
        "Reason", widget=GovTextArea(), description="Required when the panel refers the recommendation back."
    )
    submit = SubmitField("Record the panel's decision", widget=GovSubmitInput())


class ConcernForm(AcademyForm):
    category = RadioField(
        "Kind of concern",
        choices=choices(CATEGORIES),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose the kind of concern")],
    )
    description = TextAreaField(
        "The concern", widget=GovTextArea(), validators=[DataRequired(message="Describe the concern")]
    )
    action_plan = TextAreaField(
        "Action plan", widget=GovTextArea(), validators=[DataRequired(message="Set out the action plan")]
    )
    review_on = DateField(
        "Date to review the plan (optional)", format=DATE_FORMAT, widget=DateInput(), validators=[Optional()]
    )
    submit = SubmitField("Record the concern", widget=GovSubmitInput())


class ActionPlanForm(AcademyForm):
    action_plan = TextAreaField(
        "Action plan", widget=GovTextArea(), validators=[DataRequired(message="Set out the action plan")]
    )
    review_on = DateField(
        "Date to review the plan (optional)", format=DATE_FORMAT, widget=DateInput(), validators=[Optional()]
    )
    submit = SubmitField("Save the action plan", widget=GovSubmitInput())


class CloseConcernForm(AcademyForm):
    close = SubmitField("Close the concern", widget=GovSubmitInput())
