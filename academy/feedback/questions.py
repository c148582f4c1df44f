"""Which answer form a person sees, and reading their answer from it."""

from typing import Any

from flask import request as http_request

from academy.feedback.answers import Answer
from academy.feedback.forms import AnswerForm, ObserverForm, PersonForm, ProfessionalForm, YoungPersonForm
from academy.feedback.models import FeedbackRequest, Relationship

FORMS: dict[Relationship, type[AnswerForm]] = {
    Relationship.CHILD: YoungPersonForm,
    Relationship.YOUNG_PERSON: YoungPersonForm,
    Relationship.PARENT_CARER: PersonForm,
    Relationship.ADULT: PersonForm,
    Relationship.PROFESSIONAL: ProfessionalForm,
    Relationship.OBSERVER: ObserverForm,
}


def first_name(feedback_request: FeedbackRequest) -> str:
    return (feedback_request.participant.name.split() or ["the social worker"])[0]


def questions_for(feedback_request: FeedbackRequest, **kwargs: Any) -> AnswerForm:
    """The form for the person asked, its questions naming the NQSW by first name."""
    form = FORMS[feedback_request.relationship_kind](**kwargs)
    form.personalise(first_name(feedback_request))
    return form


def asks_about_elements(feedback_request: FeedbackRequest) -> bool:
    """Professionals and observers comment on each element; the others answer plain questions."""
    return feedback_request.relationship_kind in {Relationship.PROFESSIONAL, Relationship.OBSERVER}


ELEMENT_LIMIT = 1000


def element_comments(feedback_request: FeedbackRequest) -> dict[int, str]:
    """The comment typed against each element asked about (empty when none)."""
    if not asks_about_elements(feedback_request):
        return {}
    return {e.id: (http_request.form.get(f"element_{e.id}") or "").strip() for e in feedback_request.elements}


def answer_from(feedback_request: FeedbackRequest, form: AnswerForm, comments: dict[int, str]) -> Answer:
    fields = {name: getattr(form, name).data for name in ("work", "registered", "setting") if hasattr(form, name)}
    return Answer(
        pairs=form.question_pairs(),
        element_comments=comments,
        feedback_source=fields.get("work"),
        observer_is_registered=None if "registered" not in fields else fields["registered"] == "yes",
        setting=(fields.get("setting") or "").strip() or None,
    )
