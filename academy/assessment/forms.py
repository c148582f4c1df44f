"""Forms of the assessment pages: input shape and field checks only; the rules live in the services."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import DateField, RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from academy.assessment.models import Review
from academy.assessment.services.concerns import CATEGORIES
from academy.core import widgets

DATE_FORMAT = "%d %m %Y"
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


class RatingForm(FlaskForm):
    value = RadioField("Rating", widget=GovRadioInput(), validators=[InputRequired(message="Choose a rating")])
    comment = TextAreaField("Comment (optional)", widget=GovTextArea())
    submit = SubmitField("Save rating", widget=GovSubmitInput())


class CorrectionForm(FlaskForm):
    value = RadioField(
        "Corrected rating", widget=GovRadioInput(), validators=[InputRequired(message="Choose a rating")]
    )
    reason = TextAreaField(
        "Reason for the correction",
        widget=GovTextArea(),
        validators=[DataRequired(message="Give the reason for the correction")],
    )
    submit = SubmitField("Save correction", widget=GovSubmitInput())


class ReturnForm(FlaskForm):
    feedback = TextAreaField(
        "Feedback for the NQSW",
        widget=GovTextArea(),
        description="Say what needs to change before you can accept it.",
        validators=[DataRequired(message="Say what the NQSW needs to change before you return the entry")],
    )
    submit = SubmitField("Return with feedback", widget=GovSubmitInput())


def accept_form_class(links: list, scale: list[dict]) -> type[FlaskForm]:
    """An accept form with one rating question per element the entry is linked to."""
    options = [*scale_choices(scale), SelectChoice("skip", "Do not rate now")]
    fields = {
        f"rating_{link.element_id}": RadioField(
            f"Rating for {link.element.label}",
            choices=options,
            widget=GovRadioInput(),
            validators=[InputRequired(message=f"Choose a rating for {link.element.label}")],
        )
        for link in links
    }
    fields["comment"] = TextAreaField("Comment for the NQSW (optional)", widget=GovTextArea())
    fields["accept"] = SubmitField("Accept and save ratings", widget=GovSubmitInput())
    return type("AcceptForm", (FlaskForm,), fields)


class ReviewForm(FlaskForm):
    held_on = DateField(
        "Date the review was held", format=DATE_FORMAT, widget=DateInput(), validators=[InputRequired(DATE_MESSAGE)]
    )
    attendees = TextAreaField(
        "Who attended", widget=GovTextArea(), validators=[DataRequired(message="List who attended the review")]
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
    actions = TextAreaField("Actions agreed", widget=GovTextArea())
    interim_assessment = TextAreaField(
        "Assessor's assessment", widget=GovTextArea(), validators=[DataRequired(message="Write your assessment")]
    )
    submit = SubmitField("Save review", widget=GovSubmitInput())


def review_form(review: Review | None) -> ReviewForm:
    """The record form, filled in from the review recorded so far."""
    form = ReviewForm(obj=review)
    if review is not None and review.on_track is not None:
        form.on_track.data = "yes" if review.on_track else "no"
    return form


class CommentForm(FlaskForm):
    comment = TextAreaField(
        "Your comment", widget=GovTextArea(), validators=[DataRequired(message="Enter your comment")]
    )
    submit = SubmitField("Save comment", widget=GovSubmitInput())


class SignForm(FlaskForm):
    submit = SubmitField("Sign the review", widget=GovSubmitInput())


class RecommendationForm(FlaskForm):
    recommendation = RadioField(
        "Your recommendation",
        choices=choices([("pass", "PASS"), ("fail", "FAIL")]),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose PASS or FAIL")],
    )
    narrative = TextAreaField(
        "Narrative",
        widget=GovTextArea(),
        description="Required for a FAIL: explain the evidence behind it.",
    )
    submit = SubmitField("Send to the moderation panel", widget=GovSubmitInput())


class PanelDecisionForm(FlaskForm):
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
        coerce=int,
        widget=widgets.Select("Choose the chair"),
        validators=[InputRequired(message="Choose the chair")],
    )
    reason = TextAreaField(
        "Reason", widget=GovTextArea(), description="Required when the panel refers the recommendation back."
    )
    submit = SubmitField("Record the panel's decision", widget=GovSubmitInput())


class ConcernForm(FlaskForm):
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


class ActionPlanForm(FlaskForm):
    action_plan = TextAreaField(
        "Action plan", widget=GovTextArea(), validators=[DataRequired(message="Set out the action plan")]
    )
    review_on = DateField(
        "Date to review the plan (optional)", format=DATE_FORMAT, widget=DateInput(), validators=[Optional()]
    )
    submit = SubmitField("Save the action plan", widget=GovSubmitInput())


class CloseConcernForm(FlaskForm):
    close = SubmitField("Close the concern", widget=GovSubmitInput())
