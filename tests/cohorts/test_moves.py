"""Moving a live cohort to a new framework version: preview, carried ratings, undo, and old PDFs still verifying.

The database is one made by the previous release (tests/frameworks/previous_data), upgraded with
`load-frameworks`, as an academy running today would have it.
"""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from academy.assessment.models import Rating
from academy.assessment.services.ratings import current_ratings
from academy.audit.models import AuditEvent
from academy.cohorts import moves
from academy.cohorts.models import FrameworkMove
from academy.core.errors import DomainError
from academy.evidence.models import EvidenceEntry, EvidenceLink, EvidenceStatus, EvidenceType
from academy.extensions import db as _db
from academy.frameworks import services
from academy.frameworks.loader import find_framework
from academy.logs.models import SelfAssessment, SelfAssessmentPoint
from academy.reports.services import issue_progression_record, verify_document
from tests.frameworks.test_upgrade import CODES, previous_release  # noqa: F401  (the fixture)
from tests.reports.conftest import pdf_pages


def element(framework, number):
    return next(e for e in framework.elements if e.number == number)


def rate(participant, el, value, by, day=1):
    row = Rating(
        participant_id=participant.id,
        element_id=el.id,
        programme_year=1,
        value=value,
        comment="Seen in practice.",
        rated_by_id=by.id,
        rated_at=datetime(2026, 10, day, tzinfo=UTC),
    )
    _db.session.add(row)
    _db.session.flush()
    return row


@pytest.fixture
def upgraded(db, runner, previous_release, coordinator):  # noqa: F811
    """The previous release's cohort with ratings, evidence and self-assessments, a record issued, then upgraded."""
    cohort, old = previous_release
    participant = cohort.participants[0]
    swe = old["SWE_PS_2019"]
    rate(participant, element(swe, "2.1"), 2, coordinator)
    rate(participant, element(swe, "2.2"), 1, coordinator)
    rate(participant, element(old["CF_KSS_2018"], "3"), 3, coordinator)
    entry = EvidenceEntry(
        participant=participant,
        type=EvidenceType.DIRECT_OBSERVATION,
        title="Home visit",
        activity_date=date(2026, 10, 2),
        status=EvidenceStatus.ACCEPTED,
        anonymised_confirmed=True,
        author_id=participant.user_id,
    )
    entry.links.append(EvidenceLink(element_id=element(old["CF_KSS_2018"], "1").id, reason="Direct work"))
    db.session.add(entry)
    db.session.add(
        SelfAssessment(
            participant_id=participant.id,
            element_id=element(old["CF_KSS_2018"], "3").id,
            point=SelfAssessmentPoint.START,
            value=1,
        )
    )
    db.session.flush()
    issued = issue_progression_record(participant, actor=coordinator)
    result = runner.invoke(args=["academy", "load-frameworks"])
    assert result.exit_code == 0, result.output
    new = {code: find_framework(code, f"{version}.1") for code, version in CODES.items()}
    return cohort, participant, old, new, issued


def test_the_preview_says_what_carries_over_for_each_participant(db, upgraded):
    cohort, participant, old, new, _ = upgraded
    preview = moves.preview_move(cohort, old["SWE_PS_2019"], new["SWE_PS_2019"])
    [person] = preview.participants
    assert person.participant.id == participant.id
    [carried] = person.carried
    assert carried.element.number == "2"  # 2.1 and 2.2 are rated as group 2 in the new version
    assert carried.chosen.value == 1  # the lower of the two
    assert person.lost == []
    lines = {line.element.number: line for line in person.record[1]}
    assert (lines["2"].rating, lines["2"].note) == ("Developing", "from SWE_PS_2019 2.1, SWE_PS_2019 2.2")
    assert lines["3"].rating == "Not rated"
    assert [e.number for e in person.unrated[1]] == [n for n in lines if n != "2"]

    kss = moves.preview_move(cohort, old["CF_KSS_2018"], new["CF_KSS_2018"])
    assert kss.carried == 2
    assert (kss.links, kss.self_assessments) == (1, 1)
    assert [e.number for e in kss.participants[0].unrated[1]] == ["2", "4", "5", "6", "7", "8", "9", "10"]


def test_moving_keeps_every_mapped_rating_and_old_pdfs_verify(db, upgraded, coordinator):
    cohort, participant, old, new, issued = upgraded
    for code in CODES:
        moves.move_cohort(cohort, old[code], new[code], coordinator)
    db.session.flush()
    assert {f.id for f in cohort.frameworks} == {f.id for f in new.values()}
    ratings = current_ratings(participant, 1)
    by_number = {
        (r.element.framework.code, r.element.number): r
        for r in ratings.values()
        if r.element_id in {e.id for f in new.values() for e in f.elements}
    }
    assert {key: r.value for key, r in by_number.items()} == {
        ("CF_KSS_2018", "1"): 2,
        ("CF_KSS_2018", "3"): 3,
        ("SWE_PS_2019", "2"): 1,
    }
    carried = by_number[("CF_KSS_2018", "3")]
    assert carried.rated_by_id == coordinator.id
    assert carried.comment.startswith("Carried over from 3 Child development")
    assert carried.comment.endswith("Seen in practice.")
    # Evidence and self-assessments follow the mappings.
    links = db.session.scalars(sa.select(EvidenceLink.element_id)).all()
    assert element(new["CF_KSS_2018"], "1").id in links
    assert element(new["CF_KSS_2018"], "3").id in db.session.scalars(sa.select(SelfAssessment.element_id)).all()
    # The record issued before the move still verifies, and a new one shows the carried ratings.
    assert verify_document(issued.reference, issued.data, actor=coordinator).matches
    text = "\n".join(pdf_pages(issue_progression_record(participant, actor=coordinator).data))
    assert "Organisational context" in text  # the new version's statement 10
    assert "Developing" in text
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "cohort.framework_moved")).all()
    assert len(events) == 3
    assert {e.after["ratings_carried"] for e in events} == {2, 1, 0}


def test_a_move_is_undone_until_the_next_rating(db, upgraded, coordinator):
    cohort, participant, old, new, _ = upgraded
    kss_old, kss_new = old["CF_KSS_2018"], new["CF_KSS_2018"]
    move = moves.move_cohort(cohort, kss_old, kss_new, coordinator)
    assert moves.undoable_move(cohort) == move
    moves.undo_move(move, coordinator)
    assert kss_old.id in {f.id for f in cohort.frameworks}
    assert kss_new.id not in {f.id for f in cohort.frameworks}
    assert element(kss_new, "3").id not in db.session.scalars(sa.select(SelfAssessment.element_id)).all()
    assert element(kss_new, "1").id not in db.session.scalars(sa.select(EvidenceLink.element_id)).all()
    assert current_ratings(participant, 1)[element(kss_old, "3").id].value == 3
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "cohort.framework_move_undone"))
    with pytest.raises(DomainError, match="already been undone"):
        moves.undo_move(move, coordinator)

    again = moves.move_cohort(cohort, kss_old, kss_new, coordinator)
    assert current_ratings(participant, 1)[element(kss_new, "3").id].value == 3
    rate(participant, element(kss_new, "4"), 2, coordinator, day=20)
    assert moves.undoable_move(cohort) is None
    with pytest.raises(DomainError, match="rating has been recorded since the move"):
        moves.undo_move(again, coordinator)
    assert db.session.scalar(sa.select(sa.func.count(FrameworkMove.id))) == 2


def test_an_element_without_a_mapping_loses_its_rating(db, upgraded, coordinator):
    cohort, participant, old, _, _ = upgraded
    kss = old["CF_KSS_2018"]
    edited = services.remove_element(element(kss, "9"), coordinator)  # frozen: a new version without 9
    rate(participant, element(kss, "9"), 2, coordinator)
    preview = moves.preview_move(cohort, kss, edited)
    [(year, lost, label)] = preview.participants[0].lost
    assert (year, lost.number, label) == (1, "9", "Meeting expected level")
    moves.move_cohort(cohort, kss, edited, coordinator)
    assert not any(
        r.element.framework_id == edited.id and r.element.number == "9"
        for r in current_ratings(participant, 1).values()
    )


def test_the_coordinator_previews_confirms_and_undoes_on_the_pages(client, login, db, upgraded, coordinator):
    cohort, participant, old, new, _ = upgraded
    db.session.commit()
    login(coordinator)
    kss_old, kss_new = old["CF_KSS_2018"], new["CF_KSS_2018"]
    response = client.post_form(
        f"/frameworks/{kss_old.id}/move-cohort", {"cohort": str(cohort.id), "target": str(kss_new.id)}
    )
    assert response.status_code == 302
    url = f"/frameworks/{kss_old.id}/move-cohort/{cohort.id}/to/{kss_new.id}"
    assert response.headers["Location"].endswith(url)
    page = client.get(url).get_data(as_text=True)
    assert participant.name in page
    assert "2 ratings carried over" in page
    assert "10 Organisational context" in page
    assert client.post_form(url, {}).status_code == 302
    detail = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Undo the move" in detail
    move = db.session.scalar(sa.select(FrameworkMove))
    token = client.csrf_token(f"/cohorts/{cohort.id}")
    response = client.post(f"/frameworks/moves/{move.id}/undo", data={"undo-csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert kss_old.id in {f.id for f in cohort.frameworks}
