"""Optimistic locking: two people open the same form, both save; the second save is refused with what changed
and when, nothing of the first is overwritten, and what the second person typed is still in the form. Saving
again from the refused form then works. A save that meets another at the same moment is refused too, not a 500.
"""

import html
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from academy.assessment.models import Review
from academy.assessment.services.reviews import record_review
from academy.core.dates import today
from academy.core.forms import SimpleForm
from academy.core.locking import SAVED_MEANWHILE, Loaded, changed_names, check_unchanged, fingerprint
from academy.core.web import run_service
from academy.evidence.models import EvidenceEntry
from academy.participants.models import Participant
from academy.programmes.models import Programme
from academy.programmes.services import default_programme, ensure_default_programmes
from tests import factories
from tests.conftest import sign_in

REFUSAL = re.compile(
    r"Someone else changed this (?P<noun>[\w' ]+) at \d{1,2}:\d\d[ap]m on \d{1,2} \w+ \d{4}, after you opened it: "
    r"(?P<what>[^.]+)\. Your changes are below; check them and save again\."
)


class FormReader(HTMLParser):
    """The fields of the page's form whose action is `action` (empty: the page's own URL), as a browser posts
    them: text inputs, hidden fields, ticked boxes and radios, text areas and chosen options."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, MultiDict()
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = (a.get("action") or "") == self.action
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.add(name, a.get("value") or ("y" if a.get("type") == "checkbox" else ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields.add(name, "")
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.fields.add(self.select, a.get("value") or "")

    def handle_data(self, data):
        if self.textarea:
            values = self.fields.poplist(self.textarea)
            self.fields.setlist(self.textarea, [values[-1] + data])

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def form_on(client, url: str, action: str = "") -> MultiDict:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return form_in(response.get_data(as_text=True), action)


def form_in(page: str, action: str = "") -> MultiDict:
    reader = FormReader(action)
    reader.feed(page)
    # The first text line of a text area is its own: the parser gives it with the newline the template adds.
    return MultiDict([(key, value.lstrip("\n")) for key, value in reader.fields.items(multi=True)])


def refusal(response) -> re.Match:
    page = html.unescape(response.get_data(as_text=True))
    match = REFUSAL.search(page)
    assert match, page[:4000]
    return match


def two_sessions(app, user):
    first, second = app.test_client(), app.test_client()
    sign_in(first, user)
    sign_in(second, user)
    return first, second


def with_values(fields: MultiDict, **values) -> MultiDict:
    fields = MultiDict(fields)
    for name, value in values.items():
        fields.setlist(name, value if isinstance(value, list) else [value])
    return fields


# Evidence entries ---------------------------------------------------------------------------------


def test_a_stale_evidence_save_is_refused_with_what_changed_and_the_first_save_is_kept(app, db):
    team = factories.make_team()
    entry = factories.make_entry(team.participant, submit=False)
    kept_element, dropped_element = (link.element_id for link in entry.links)
    db.session.commit()
    first, second = two_sessions(app, team.nqsw)
    url = f"/evidence/{entry.id}/edit"
    one, two = form_on(first, url), form_on(second, url)
    assert sorted(one.getlist("element")) == sorted([str(kept_element), str(dropped_element)])

    saved = first.post(
        url, data=with_values(one, narrative="The first session's narrative.", element=[str(kept_element)])
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]

    refused = second.post(url, data=with_values(two, title="The second session's title"))
    assert refused.status_code == 400
    match = refusal(refused)
    assert (match["noun"], match["what"]) == ("entry", "the narrative and the elements")
    db.session.refresh(entry)
    assert entry.narrative == "The first session's narrative."
    assert [link.element_id for link in entry.links] == [kept_element]
    assert entry.title == "Assessment of a family's needs"
    # What the second person typed is still in the form, now carrying the version they have been told about.
    again = form_in(refused.get_data(as_text=True))
    assert again["title"] == "The second session's title"
    assert again["version"] == str(entry.version)

    assert second.post(url, data=again).status_code == 302
    db.session.refresh(entry)
    assert entry.title == "The second session's title"


def test_an_evidence_save_after_a_change_the_form_does_not_show_goes_through(app, db):
    team = factories.make_team()
    entry = factories.make_entry(team.participant, submit=False)
    db.session.commit()
    client = app.test_client()
    sign_in(client, team.nqsw)
    url = f"/evidence/{entry.id}/edit"
    opened = form_on(client, url)
    entry.feedback = "A note the change form does not show"  # moves the version on
    db.session.commit()
    response = client.post(url, data=with_values(opened, title="A clearer title"))
    assert response.status_code == 302
    db.session.refresh(entry)
    assert entry.title == "A clearer title"


# Reviews ------------------------------------------------------------------------------------------


def review_url(team) -> str:
    milestone = factories.team_milestone(team, "review_3m")
    return f"/participants/{team.participant.id}/milestones/{milestone.id}/review"


def record_fields(fields: MultiDict, **values) -> MultiDict:
    held = today() - timedelta(days=1)
    defaults = {
        "held_on": [str(held.day), str(held.month), str(held.year)],
        "attendees": "NQSW and assessor",
        "progress_summary": "Steady progress.",
        "on_track": "yes",
        "interim_assessment": "As expected.",
    }
    return with_values(fields, **(defaults | values))


def test_a_stale_review_record_is_refused_and_the_first_record_is_kept(app, db):
    team = factories.make_team()
    db.session.commit()
    url = review_url(team)
    first, second = two_sessions(app, team.assessor)
    one, two = form_on(first, url), form_on(second, url)
    assert one["version"] == ""  # nothing recorded yet

    assert first.post(url, data=record_fields(one, attendees="NQSW, assessor and manager")).status_code == 302
    refused = second.post(url, data=record_fields(two, progress_summary="The second session's summary."))
    assert refused.status_code == 400
    match = refusal(refused)
    assert match["noun"] == "review"
    assert "who attended" in match["what"]
    review = db.session.scalar(sa.select(Review).where(Review.participant_id == team.participant.id))
    db.session.refresh(review)
    assert (review.attendees, review.progress_summary) == ("NQSW, assessor and manager", "Steady progress.")
    assert "The second session&#39;s summary." in refused.get_data(as_text=True)

    # A correction over the saved record: the same refusal when another correction came first.
    three, four = form_on(first, url), form_on(second, url)
    assert first.post(url, data=with_values(three, actions="A second observation.")).status_code == 302
    refused = second.post(url, data=with_values(four, interim_assessment="Changed my mind."))
    assert refusal(refused)["what"] == "the actions"
    db.session.refresh(review)
    assert (review.actions, review.interim_assessment) == ("A second observation.", "As expected.")
    # Told that the actions changed, they put them back in and save again: both corrections stand.
    again = with_values(form_in(refused.get_data(as_text=True)), actions="A second observation.")
    assert second.post(url, data=again).status_code == 302
    db.session.refresh(review)
    assert (review.actions, review.interim_assessment) == ("A second observation.", "Changed my mind.")


def test_an_nqsw_comment_on_a_review_corrected_since_it_was_opened_is_refused(app, db):
    team = factories.make_team()
    record = factories.review_record(previous_actions_progress="")  # the first review has no earlier actions
    review = record_review(factories.team_milestone(team), record, by=team.assessor)
    db.session.commit()
    url = review_url(team)
    assessor, nqsw = app.test_client(), app.test_client()
    sign_in(assessor, team.assessor)
    sign_in(nqsw, team.nqsw)
    opened = form_on(nqsw, url, action=f"{url}/comment")
    corrected = with_values(form_on(assessor, url), progress_summary="Corrected summary.")
    assert assessor.post(url, data=corrected).status_code == 302
    refused = nqsw.post(f"{url}/comment", data=with_values(opened, comment="I agree with the summary."))
    assert refused.status_code == 400
    assert refusal(refused)["what"] == "the progress summary"
    db.session.refresh(review)
    assert review.nqsw_comment == ""


# Participant details ------------------------------------------------------------------------------


def test_stale_participant_details_are_refused_and_the_first_correction_is_kept(app, db, coordinator):
    participant = factories.make_participant(team="Old team", swe_number="SW1")
    db.session.commit()
    url = f"/participants/{participant.id}/details"
    other = factories.make_user({"coordinator"})
    first, second = app.test_client(), app.test_client()
    sign_in(first, coordinator)
    sign_in(second, other)
    one, two = form_on(first, url), form_on(second, url)

    assert first.post(url, data=with_values(one, team="Child protection")).status_code == 302
    refused = second.post(url, data=with_values(two, swe_number="SW22"))
    assert refused.status_code == 400
    match = refusal(refused)
    assert (match["noun"], match["what"]) == ("person's details", "the team")
    db.session.refresh(participant)
    assert (participant.team, participant.swe_number) == ("Child protection", "SW1")
    again = form_in(refused.get_data(as_text=True))
    assert again["swe_number"] == "SW22"
    # Saved again, the form still carries the team as the second person opened it: they have been told.
    assert second.post(url, data=with_values(again, team="Child protection")).status_code == 302
    db.session.refresh(participant)
    assert (participant.team, participant.swe_number) == ("Child protection", "SW22")


def test_a_name_change_alone_moves_the_participant_version_on(app, db, coordinator):
    participant = factories.make_participant()
    db.session.commit()
    url = f"/participants/{participant.id}/details"
    first, second = two_sessions(app, coordinator)
    one, two = form_on(first, url), form_on(second, url)
    assert first.post(url, data=with_values(one, name="Corrected Name")).status_code == 302
    refused = second.post(url, data=with_values(two, team="A team"))
    assert refusal(refused)["what"] == "the name"
    assert db.session.get(Participant, participant.id).team == ""


# Programme settings -------------------------------------------------------------------------------


def test_stale_programme_settings_are_refused_and_the_first_save_is_kept(app, db, coordinator):
    ensure_default_programmes()
    programme = default_programme()
    db.session.commit()
    url = f"/programmes/{programme.id}"
    first, second = two_sessions(app, coordinator)
    one, two = form_on(first, url), form_on(second, url)

    assert first.post(url, data=with_values(one, direct_observation="5", months_review_3m="2")).status_code == 302
    refused = second.post(url, data=with_values(two, caseload_target="12"))
    assert refused.status_code == 400
    match = refusal(refused)
    assert match["noun"] == "programme"
    assert match["what"].startswith("the minimum direct observations and when the ")
    db.session.refresh(programme)
    assert programme.settings["minimum_evidence"]["direct_observation"] == 5
    assert programme.settings["caseload_target"] == 16
    assert form_in(refused.get_data(as_text=True))["caseload_target"] == "12"


def test_programme_settings_save_normally(app, db, coordinator):
    ensure_default_programmes()
    programme = db.session.scalar(sa.select(Programme).where(Programme.is_default.is_(True)))
    db.session.commit()
    client = app.test_client()
    sign_in(client, coordinator)
    url = f"/programmes/{programme.id}"
    version = programme.version
    assert client.post(url, data=with_values(form_on(client, url), caseload_target="14")).status_code == 302
    db.session.refresh(programme)
    assert (programme.settings["caseload_target"], programme.version) == (14, version + 1)


# Saves at the same moment and the rules themselves ---------------------------------------------------


def test_a_save_that_meets_another_at_the_same_moment_is_refused_not_a_500(app, db):
    """Both passed the service's check; the database's version check (StaleDataError) catches the second."""
    team = factories.make_team()
    entry = factories.make_entry(team.participant, submit=False)
    db.session.commit()
    db.session.connection().execute(
        sa.text("UPDATE evidence_entry SET version = version + 1, title = 'Saved elsewhere' WHERE id = :id"),
        {"id": entry.id},
    )

    def change_title():
        entry.title = "Saved here"

    with app.test_request_context(method="POST"):
        form = SimpleForm(meta={"csrf": False})
        assert not run_service(form, change_title)
        assert SAVED_MEANWHILE in form.submit.errors
    # Nothing of the refused save is written (the test's rollback also undid the other save's raw UPDATE).
    assert db.session.get(EvidenceEntry, entry.id).title != "Saved here"


def test_a_stale_data_error_outside_a_form_is_a_page_that_says_so(app, db):
    with app.test_request_context("/"):
        error = StaleDataError(
            "UPDATE statement on table 'evidence_entry' expected to update 1 row(s); 0 were matched."
        )
        response = app.make_response(app.handle_user_exception(error))
    assert response.status_code == 409
    assert "Someone else saved this at the same moment" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("opened", "now", "changed"),
    [
        ({"a": 1, "b": "x"}, {"a": 1, "b": "x"}, []),
        ({"a": 1, "b": "x"}, {"a": 2, "b": "x"}, ["a"]),
        ({"a": 1}, {"a": 1, "b": None}, ["b"]),
    ],
)
def test_the_fingerprint_names_what_changed(opened, now, changed):
    assert changed_names(fingerprint(opened), now) == changed


def test_a_missing_or_forged_fingerprint_names_everything():
    assert changed_names("", {"a": 1, "b": 2}) == ["a", "b"]
    assert changed_names("a:zzzz.b", {"a": 1, "b": 2}) == ["a", "b"]


def test_no_form_means_no_check():
    class Record:
        version, changed_at = 3, None

    check_unchanged(Record(), None, {"a": 1}, noun="entry", labels={})
    check_unchanged(Record(), Loaded(3, ""), {"a": 1}, noun="entry", labels={})
