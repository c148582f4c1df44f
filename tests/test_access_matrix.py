"""The access matrix: every rule in the URL map, for every kind of visitor, against a declared expectation.

One NQSW (the subject) has a portfolio (a draft, a submitted and an accepted entry, an attachment, an
observation their assessor wrote), ratings, a signed review, a concern, a recommendation waiting for the
panel, supervision, and staff: a current assessor, a mentor, a line manager and a former assessor (replaced,
who accepted an entry, rated and signed a review before the handover). Every URL is filled with the
subject's ids, and each visitor asks for it:

- a GET must give what EXPECTED declares: Y the page (200), R a redirect elsewhere than sign-in (the page
  sends them on), N a refusal (403, or 404 for an NQSW, to whom other people's records do not exist), S the
  sign-in page (anonymous visitors), G gone (a password link that is not valid);
- a POST is sent only by visitors declared N or S (with a valid CSRF token, so that it is the permission
  check that answers): refused, and not one row written. Allowed POSTs are the features' own tests' work.

An endpoint without a declared row fails the test, so a new route forces a decision about who may use it.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from academy.assessment.models import Outcome, Recommendation
from academy.assessment.services.concerns import raise_concern
from academy.assessment.services.ratings import record_rating
from academy.cohorts.models import Cohort, ImportJob
from academy.core.dates import today
from academy.core.db import now_utc
from academy.core.web import ACCESS_ATTRIBUTE
from academy.evidence.attachments import add_attachment
from academy.evidence.models import EvidenceType
from academy.evidence.services import accept_evidence, create_evidence, submit_evidence
from academy.extensions import db
from academy.feedback.services import NewRequest, request_feedback
from academy.frameworks.models import ElementMapping
from academy.logs.services import record_supervision
from academy.notifications.models import Notification, NotificationKind
from academy.participants.models import Participant
from academy.programmes.services import default_programme
from tests import factories
from tests.conftest import BOOKKEEPING_TABLES, CSRF_PATTERN, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

VISITORS = (
    "anonymous",
    "nqsw",
    "other_nqsw",
    "assessor",
    "mentor",
    "line_manager",
    "unassigned_mentor",
    "former_assessor",
    "coordinator",
    "coordinator_nqsw",
)


# The world ---------------------------------------------------------------------------------------------


def build_world() -> tuple[dict, dict]:
    """The visitors (users, None for anonymous) and the ids every URL argument is filled with."""
    team = factories.make_team(start=today() - timedelta(days=200))
    subject, nqsw = team.participant, team.nqsw
    former = factories.make_user({"mentor"}, name="Former Assessor")
    # The former assessor acts while they hold the assignment: they accept an entry, rate and sign a review.
    factories.assign(subject, former, "assessor", starts_on=today() - timedelta(days=1), handover_note="Cover")
    team_assessor = team.assessor
    elements = factories.elements(subject)
    accept_evidence(factories.make_entry(subject, title="Accepted report"), by=former)
    rating = record_rating(subject, elements[0], 2, by=former, comment="Shown in the accepted report")
    review = factories.hold_and_sign(subject, former, "agreement")
    # The handover: the assessor of make_team takes the record back from today.
    factories.assign(subject, team_assessor, "assessor", starts_on=today(), handover_note="Back from leave")
    submitted = factories.make_entry(subject, title="Submitted report")
    draft = factories.make_entry(subject, title="Draft report", submit=False)
    add_attachment(draft, by=nqsw, filename="notes.pdf", data=PDF)
    submitted_attachment = add_attachment(
        factories.make_entry(subject, title="Report with a file", submit=False),
        by=nqsw,
        filename="report.pdf",
        data=PDF,
    )
    submit_evidence(submitted_attachment.entry, by=nqsw)
    observation = create_evidence(
        subject,
        by=team_assessor,
        type=EvidenceType.DIRECT_OBSERVATION,
        title="Observed home visit",
        activity_date=today() - timedelta(days=2),
        narrative="What I observed.",
        links=[(elements[0].id, "Shown on the visit")],
        anonymised_confirmed=True,
        observer_name="Ada Assessor",
        observer_is_registered=True,
        setting="A home visit",
    )
    submit_evidence(observation, by=team_assessor)
    concern = raise_concern(
        subject, by=team_assessor, category="progress", description="Late records.", action_plan="Weekly check."
    )
    record_supervision(subject, by=team.line_manager, held_on=today() - timedelta(days=3), kind="reflective")
    outcome = Outcome(
        participant=subject,
        recommendation=Recommendation.PASS,
        narrative="Meets the standards.",
        recommended_by_id=team_assessor.id,
        recommended_at=now_utc(),
    )
    db.session.add(outcome)
    other = factories.make_participant(subject.cohort)
    coordinator = factories.make_user({"coordinator"}, name="Casey Coordinator")
    # A coordinator enrolled as an NQSW, with an assessor, a concern and a recommendation of their own.
    own = factories.make_participant(
        subject.cohort, factories.make_user({"coordinator", "nqsw"}, name="Dual Role"), start=subject.start_date
    )
    coordinator_nqsw = own.user
    factories.assign(own, team_assessor, "assessor")
    own_concern = raise_concern(
        own, by=team_assessor, category="progress", description="Missed visits.", action_plan="Weekly check."
    )
    own_outcome = Outcome(
        participant=own,
        recommendation=Recommendation.PASS,
        narrative="Meets the standards.",
        recommended_by_id=team_assessor.id,
        recommended_at=now_utc(),
    )
    db.session.add(own_outcome)
    job = factories.make_running_batch(subject.cohort, coordinator, silent_for=timedelta(seconds=5))
    import_job = ImportJob(cohort_id=subject.cohort_id, requested_by_id=coordinator.id, pending_id="a" * 32, total=300)
    db.session.add(import_job)
    db.session.flush()
    notification = Notification(
        recipient_id=nqsw.id, kind=NotificationKind.EVIDENCE_DECIDED, text="Something for the NQSW", link="/"
    )
    db.session.add(notification)
    # An outside person asked for feedback on a printed form (no email is sent).
    feedback_request, _ = request_feedback(
        subject,
        NewRequest(
            relationship="professional",
            name="Pat Partner",
            email=None,
            about="The strategy meeting",
            activity_date=today() - timedelta(days=4),
            message="",
            element_ids=[elements[0].id],
        ),
        by=nqsw,
    )
    framework = subject.cohort.frameworks[0]
    mapping = db.session.scalar(sa.select(ElementMapping).order_by(ElementMapping.id))
    db.session.commit()
    visitors = {
        "anonymous": None,
        "nqsw": nqsw,
        "other_nqsw": other.user,
        "assessor": team_assessor,
        "mentor": team.mentor,
        "line_manager": team.line_manager,
        "unassigned_mentor": factories.make_user({"mentor"}, name="Unassigned Mentor"),
        "former_assessor": former,
        "coordinator": coordinator,
        "coordinator_nqsw": coordinator_nqsw,
    }
    db.session.commit()
    ids = {
        "participant_id": subject.id,
        "entry_id": submitted.id,
        "attachment_id": submitted_attachment.id,
        "milestone_id": review.milestone_id,
        "rating_id": rating.id,
        "concern_id": concern.id,
        "outcome_id": outcome.id,
        "cohort_id": subject.cohort_id,
        "framework_id": framework.id,
        "element_id": elements[0].id,
        "mapping_id": mapping.id if mapping else 999_999,
        "move_id": 999_999,  # no move exists: the coordinator's answer is the loader's 404
        "target_id": framework.id,
        "new_id": framework.id,
        "job_id": job.id,
        "import_id": import_job.id,
        "user_id": nqsw.id,
        "notification_id": notification.id,
        "request_id": feedback_request.id,
        "programme_id": default_programme().id,
        "type_code": "written_report",
        "action": "pause",
        "key": "retention",
        "token": "not-a-token",
        "file_format": None,  # the first choice of the rule's `any(...)`
        # Records some endpoints need instead of the defaults.
        "draft_entry_id": draft.id,
        "draft_attachment_id": draft.attachments[0].id,
        "attachment_entry_id": submitted_attachment.entry_id,
        "observation_id": observation.id,
        # The coordinator-NQSW's own record.
        "own_participant_id": own.id,
        "own_outcome_id": own_outcome.id,
        "own_concern_id": own_concern.id,
        "own_milestone_id": next(m.id for m in own.milestones if m.code == "agreement"),
    }
    return visitors, ids


# Walking the URL map -----------------------------------------------------------------------------------

# A URL argument: <name>, <int:name>, <any(csv, json):name>.
URL_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<options>[^)]*)\))?:)?(?P<name>\w+)>")
FRAMEWORK_ENDPOINTS = {"static"}
# Endpoints whose URL needs another of the subject's records than the default for its argument.
RECORD_FOR = {
    "evidence.edit": {"entry_id": "draft_entry_id"},
    "evidence.submit": {"entry_id": "draft_entry_id"},
    "evidence.upload": {"entry_id": "draft_entry_id"},
    "evidence.remove_attachment": {"entry_id": "draft_entry_id", "attachment_id": "draft_attachment_id"},
    "evidence.reflect": {"entry_id": "observation_id"},
    "evidence.download": {"entry_id": "attachment_entry_id"},
    "evidence.view_attachment": {"entry_id": "attachment_entry_id"},
}


def url_for_rule(rule, ids: dict) -> str:
    names = RECORD_FOR.get(rule.endpoint, {})

    def value(match: re.Match) -> str:
        if match["converter"] == "any":
            return match["options"].split(",")[0].strip()
        return str(ids[names.get(match["name"], match["name"])])

    return URL_ARGUMENT.sub(value, rule.rule)


def outcome(response) -> str:
    """The response in the matrix's letters (anything else is shown as its status code)."""
    if response.status_code == 200:
        return "Y"
    if response.status_code in (403, 404):
        return "N"
    if response.status_code == 410:
        return "G"
    if response.status_code in (301, 302, 303):
        return "S" if "/sign-in" in response.location else "R"
    return str(response.status_code)


@contextmanager
def writes() -> Iterator[list[str]]:
    """Every INSERT, UPDATE or DELETE the database is sent while the block runs (bookkeeping tables aside)."""
    seen: list[str] = []
    connection = db.session.connection()

    def note(conn, cursor, statement, parameters, context, executemany):
        words = statement.split()
        if words and words[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            table = words[2] if words[0].upper() != "UPDATE" else words[1]
            if table.strip('"') not in BOOKKEEPING_TABLES:
                seen.append(" ".join(words[:3]))

    sa.event.listen(connection, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(connection, "before_cursor_execute", note)


def clients_for(app: Flask, visitors: dict) -> dict:
    """A signed-in test client per visitor (anonymous stays signed out), each with its CSRF token."""
    clients = {}
    for name, user in visitors.items():
        client = app.test_client()
        if user is not None:
            sign_in(client, user)
        page = client.get("/sign-in" if user is None else "/account").get_data(as_text=True)
        match = CSRF_PATTERN.search(page)
        assert match, name
        clients[name] = (client, match.group(1) or match.group(2))
    return clients


def rules(app: Flask) -> list:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint not in FRAMEWORK_ENDPOINTS),
        key=lambda rule: rule.endpoint,
    )


@pytest.fixture
def world(app, db):
    visitors, ids = build_world()
    return visitors, ids, clients_for(app, visitors)


# Who may use each endpoint, one letter per visitor in the order of VISITORS:
#   anonymous, nqsw, other_nqsw, assessor, mentor, line_manager, unassigned_mentor, former_assessor,
#   coordinator, coordinator_nqsw (a coordinator who is also enrolled as an NQSW, in the subject's cohort).
# The subject is in year 1, so their mentor neither reviews evidence nor rates (docs/product.md).
COORDINATORS = "SNNNNNNNYY"
SIGNED_IN = "SYYYYYYYYY"
STAFF_ON_THE_RECORD = "SYNYYYNNYY"  # the NQSW, their current assessor, mentor and line manager, coordinators
NQSW_ONLY = "SYNNNNNNNN"
ASSESSOR_ONLY = "SNNYNNNNNN"
MENTOR_ROLE = "SNNYYYYYNN"  # anyone with the mentor role, assigned or not (their own pages and lists)
EXPECTED = {
    # Accounts: your own account for everyone; people and the outbox for coordinators.
    "accounts.account": SIGNED_IN,
    "accounts.change_own_password": SIGNED_IN,
    "accounts.add_person": COORDINATORS,
    "accounts.outbox": COORDINATORS,
    "accounts.people": COORDINATORS,
    "accounts.person": COORDINATORS,
    "accounts.person_active": COORDINATORS,
    "accounts.person_invite": COORDINATORS,
    "accounts.person_roles": COORDINATORS,
    "accounts.forgot_password": "YYYYYYYYYY",
    "accounts.set_password": "GGGGGGGGGG",  # public: the token is the credential, and this one is not valid
    "accounts.sign_in": "YRRRRRRRRR",  # the signed-in are sent to their home page
    "accounts.sign_out": SIGNED_IN,
    # Assessment: reading for everyone on the record; acting for the current assessor (and the NQSW's own steps).
    "assessment.overview": STAFF_ON_THE_RECORD,
    "assessment.grid": STAFF_ON_THE_RECORD,
    "assessment.element": STAFF_ON_THE_RECORD,
    "assessment.recommendation": STAFF_ON_THE_RECORD,
    "assessment.correct": ASSESSOR_ONLY,  # a rating the former assessor gave, corrected by the current one
    "assessment.evidence": ASSESSOR_ONLY,  # reviewing a submitted entry
    "assessment.accept": ASSESSOR_ONLY,
    "assessment.return_entry": ASSESSOR_ONLY,
    "assessment.review": "SYNYYYNYYY",  # the former assessor still reads the review they signed
    "assessment.comment_review": NQSW_ONLY,
    "assessment.sign_review": "SYNYNNNNNN",  # the NQSW and the current assessor
    "assessment.concerns": "SNNYNYNNYY",  # never the NQSW, never a mentor only
    "assessment.concern": "SNNYNYNNYY",
    "assessment.panel": COORDINATORS,
    "assessment.decide": COORDINATORS,  # the recommendation is the assessor's, so any coordinator may decide
    "audit.index": COORDINATORS,
    # Cohorts: coordinators only.
    "cohorts.index": COORDINATORS,
    "cohorts.detail": COORDINATORS,
    "cohorts.create": COORDINATORS,
    "cohorts.edit": COORDINATORS,
    "cohorts.close": COORDINATORS,
    "cohorts.enrol": COORDINATORS,
    "cohorts.frameworks": COORDINATORS,
    "cohorts.remove_framework": COORDINATORS,
    "cohorts.import_csv": COORDINATORS,
    "cohorts.confirm_import": COORDINATORS,
    "cohorts.import_template_csv": COORDINATORS,
    "cohorts.import_progress": COORDINATORS,
    "cohorts.import_status": COORDINATORS,
    # Evidence: the portfolio is read by everyone on the record; written by the NQSW (and observations by the
    # assessor); the former assessor reads only the entries they accepted (not these).
    "evidence.index": STAFF_ON_THE_RECORD,
    "evidence.entry": STAFF_ON_THE_RECORD,
    "evidence.choose_type": "SYNYNNNNNN",
    "evidence.new": NQSW_ONLY,  # a written report: the assessor adds only observations and feedback
    "evidence.edit": NQSW_ONLY,  # the NQSW's own draft
    "evidence.submit": NQSW_ONLY,
    "evidence.upload": NQSW_ONLY,
    "evidence.remove_attachment": NQSW_ONLY,
    "evidence.reflect": NQSW_ONLY,  # on the observation the assessor wrote
    "evidence.download": STAFF_ON_THE_RECORD,
    "evidence.view_attachment": STAFF_ON_THE_RECORD,
    "evidence.learning_csv": NQSW_ONLY,
    # Outside feedback: the requests hold outside people's names and emails, so the NQSW, their current
    # assessor (who may ask for them) and coordinators see them; the NQSW and the assessor ask and act.
    # The public pages answer a link's token; an unknown one is not found (a plain page saying so).
    "feedback.start": "NNNNNNNNNN",
    "feedback.answer": "NNNNNNNNNN",
    "feedback.thanks": "YYYYYYYYYY",
    "feedback.index": "SYNYNNNNYY",
    "feedback.new": "SYNYNNNNNN",
    "feedback.detail": "SYNYNNNNYY",
    "feedback.print_form": "SYNYNNNNYY",
    "feedback.withdraw": "SYNYNNNNNN",
    "feedback.send_again": "SYNYNNNNNN",
    "feedback.paper": "SYNYNNNNNN",
    "feedback.settings": COORDINATORS,
    # Frameworks: coordinators only. preview_move sends them back: the cohort is already on this version.
    "frameworks.index": COORDINATORS,
    "frameworks.show": COORDINATORS,
    "frameworks.export": COORDINATORS,
    "frameworks.import_file": COORDINATORS,
    "frameworks.new_element": COORDINATORS,
    "frameworks.edit_element": COORDINATORS,
    "frameworks.remove_element": COORDINATORS,
    "frameworks.mappings": COORDINATORS,
    "frameworks.remove_mapping": COORDINATORS,
    "frameworks.move_cohort": COORDINATORS,
    "frameworks.preview_move": "SNNNNNNNRR",
    "frameworks.carry_over": COORDINATORS,
    "frameworks.undo_move": COORDINATORS,
    # Funding: coordinators only.
    "funding.index": COORDINATORS,
    "funding.export": COORDINATORS,
    "funding.participant": COORDINATORS,
    "funding.rules": COORDINATORS,
    # Home pages: each role its own; the index sends everyone to theirs.
    "home.index": "SRRRRRRRRR",
    "home.coordinator": COORDINATORS,
    "home.mentor": MENTOR_ROLE,
    "home.signed_records_page": MENTOR_ROLE,
    "home.bulk_accept_entries": MENTOR_ROLE,  # each entry is checked again; none is posted here
    "home.nqsw": "SYYNNNNNNY",
    # Logs: read by everyone on the record; written by the NQSW, the line manager (caseload, supervision) and
    # the assessor (supervision).
    "logs.caseload": STAFF_ON_THE_RECORD,
    "logs.protected_time": STAFF_ON_THE_RECORD,
    "logs.self_assessment": STAFF_ON_THE_RECORD,
    "logs.supervision": STAFF_ON_THE_RECORD,
    "logs.log_protected_time": NQSW_ONLY,
    "logs.save_self_assessment": NQSW_ONLY,
    "logs.record_caseload": "SYNNNYNNNN",
    "logs.record_supervision": "SNNYNYNNNN",
    # Notifications: your own.
    "notifications.index": SIGNED_IN,
    "notifications.settings": SIGNED_IN,
    "notifications.read_all": SIGNED_IN,
    "notifications.open_notification": NQSW_ONLY,  # the subject NQSW's notification
    # Participants: read by everyone on the record; changed by coordinators.
    "participants.participant": STAFF_ON_THE_RECORD,
    "participants.edit_details": COORDINATORS,
    "participants.assign": COORDINATORS,
    "participants.lifecycle_action": COORDINATORS,
    # Programmes: coordinators only.
    "programmes.index": COORDINATORS,
    "programmes.edit": COORDINATORS,
    # Reports: the NQSW's record for them and the staff on it; batches, cohort reports for coordinators; any
    # coordinator or mentor verifies a document; the reports page lists what each may have.
    "reports.index": SIGNED_IN,
    "reports.progression_record": STAFF_ON_THE_RECORD,
    "reports.record_progress": STAFF_ON_THE_RECORD,  # the record being issued, while it renders
    "reports.record_status": STAFF_ON_THE_RECORD,
    "reports.cohort_report": COORDINATORS,
    "reports.batches": COORDINATORS,
    "reports.batch_progress": COORDINATORS,
    "reports.batch_status": COORDINATORS,
    "reports.batch_download": "SNNNNNNNNN",  # coordinators only, and this batch is still running: nothing yet
    "reports.verify": "SNNYYYYYYY",
    # Retention figures: coordinators only.
    "retention.dashboard": COORDINATORS,
    "retention.attention": COORDINATORS,
    "retention.figure_csv": COORDINATORS,
    "retention.census_csv": COORDINATORS,
    "retention.census_xlsx": COORDINATORS,
    "retention.figures_pdf": COORDINATORS,
}

# PDFs take seconds to render: for the visitors allowed them the guard's own rule is asked instead of the
# page (the record downloads are rendered in their own tests); refused visitors still ask for the page.
SLOW = {"reports.progression_record": "participant", "reports.cohort_report": "cohort", "retention.figures_pdf": None}


def allowed_by_rule(app: Flask, endpoint: str, user, ids: dict) -> str:
    rule = getattr(app.view_functions[endpoint], ACCESS_ATTRIBUTE)
    record = {
        "participant": lambda: db.session.get(Participant, ids["participant_id"]),
        "cohort": lambda: db.session.get(Cohort, ids["cohort_id"]),
        None: lambda: None,
    }[SLOW[endpoint]]()
    return "Y" if (rule(user) if record is None else rule(user, record)) else "N"


def test_every_endpoint_has_a_declared_expectation(app):
    endpoints = {rule.endpoint for rule in rules(app)}
    assert sorted(endpoints - set(EXPECTED)) == [], "declare who may use these endpoints in EXPECTED"
    assert sorted(set(EXPECTED) - endpoints) == [], "these endpoints no longer exist"
    assert all(len(row) == len(VISITORS) for row in EXPECTED.values())


def test_every_visitor_gets_what_is_declared_on_every_endpoint(app, world):
    visitors, ids, clients = world
    wrong = []
    for rule in rules(app):
        url, expected = url_for_rule(rule, ids), EXPECTED.get(rule.endpoint)
        if expected is None:
            continue  # the test above names it
        for name, want in zip(VISITORS, expected, strict=True):
            client, token = clients[name]
            if "GET" in rule.methods:
                if rule.endpoint in SLOW and want == "Y":
                    got = allowed_by_rule(app, rule.endpoint, visitors[name], ids)
                else:
                    got = outcome(client.get(url))
                if got != want:
                    wrong.append(f"GET {url} as {name}: declared {want}, got {got}")
            if "POST" in rule.methods and want in "NS":
                with writes() as written:
                    got = outcome(client.post(url, data={"csrf_token": token}))
                if got != want or written:
                    wrong.append(f"POST {url} as {name}: declared {want}, got {got}, wrote {written}")
    assert not wrong, "\n".join(wrong)


# What a coordinator enrolled as an NQSW may do on their own record: GET, then POST (. when the rule has no such
# method). They read it as its NQSW; the rules that keep anyone from judging their own record hold against the
# coordinator role too: no concerns about them, no rating, review, recommendation or panel decision of their own.
# Nor do they keep their own record: their details, assignments, pauses and funding are another coordinator's.
OWN_RECORD = {
    "assessment.concern": "NN",
    "assessment.concerns": "NN",
    "assessment.decide": "YN",
    "assessment.element": "YN",
    "assessment.grid": "YN",
    "assessment.overview": "Y.",
    "assessment.recommendation": "YN",
    "assessment.review": "YN",
    "assessment.sign_review": ".Y",  # they sign as the NQSW
    "assessment.comment_review": ".Y",
    "evidence.choose_type": "Y.",
    "evidence.index": "Y.",
    "evidence.learning_csv": "Y.",
    "evidence.new": "YY",
    "feedback.index": "Y.",
    "feedback.new": "YY",  # they ask for feedback on their own practice, as its NQSW
    "funding.participant": "NN",
    "logs.caseload": "Y.",
    "logs.protected_time": "Y.",
    "logs.self_assessment": "Y.",
    "logs.supervision": "Y.",
    "logs.log_protected_time": ".Y",
    "logs.record_caseload": ".Y",
    "logs.record_supervision": ".N",
    "logs.save_self_assessment": ".Y",
    "participants.assign": ".N",
    "participants.edit_details": "NN",
    "participants.lifecycle_action": ".N",
    "participants.participant": "Y.",
    "reports.progression_record": "Y.",
    "reports.record_progress": "Y.",
    "reports.record_status": "Y.",
}
OWN_IDS = {
    "participant_id": "own_participant_id",
    "outcome_id": "own_outcome_id",
    "concern_id": "own_concern_id",
    "milestone_id": "own_milestone_id",
}


def test_a_coordinator_enrolled_as_an_nqsw_does_not_judge_their_own_record(app, world):
    _, ids, clients = world
    own_ids = ids | {name: ids[other] for name, other in OWN_IDS.items()}
    client, token = clients["coordinator_nqsw"]
    on_own_record = [rule for rule in rules(app) if any(f":{name}>" in rule.rule for name in OWN_IDS)]
    assert sorted(rule.endpoint for rule in on_own_record) == sorted(OWN_RECORD)
    wrong = []
    for rule in on_own_record:
        url, (get, post) = url_for_rule(rule, own_ids), OWN_RECORD[rule.endpoint]
        if get != "." and rule.endpoint not in SLOW and (got := outcome(client.get(url))) != get:
            wrong.append(f"GET {url}: declared {get}, got {got}")
        if post == "N":
            with writes() as written:
                got = outcome(client.post(url, data={"csrf_token": token}))
            if got != "N" or written:
                wrong.append(f"POST {url}: declared N, got {got}, wrote {written}")
    assert not wrong, "\n".join(wrong)
