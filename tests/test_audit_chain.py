"""The audit trail is append-only in the database itself and verifiable: each event's hash covers its
content and the event before it, and `academy audit-verify` finds the first event that was changed or
removed behind the app's back."""

import threading
from contextlib import contextmanager
from itertools import pairwise

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from academy.audit.chain import CONTENT, event_hash, verify
from academy.audit.models import SQLITE_TRIGGERS, AuditEvent
from academy.audit.services import audit_row, record_audit, record_audit_rows
from academy.core.db import UTCDateTime, now_utc
from academy.extensions import db as _db
from tests.conftest import make_test_app
from tests.factories import make_participant

REFUSED = "audit events cannot be changed or deleted"


def _events(db) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))


@contextmanager
def triggers_disabled(db):
    """What someone with the database's owner rights could do: switch the append-only triggers off."""
    if db.engine.dialect.name == "sqlite":
        for name in ("audit_event_no_update", "audit_event_no_delete"):
            db.session.execute(sa.text(f"DROP TRIGGER {name}"))
        yield
        for statement in SQLITE_TRIGGERS:
            db.session.execute(sa.text(statement))
    else:
        db.session.execute(sa.text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
        yield
        db.session.execute(sa.text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))


def _verify(runner):
    return runner.invoke(args=["academy", "audit-verify"])


@pytest.fixture
def trail(db, coordinator):
    """A few events, committed (released to the test's outer transaction)."""
    make_participant()
    for number in range(3):
        record_audit(coordinator, "test.chained", coordinator, summary=f"Event {number}")
    db.session.commit()
    return _events(db)


@pytest.mark.parametrize("statement", ["UPDATE audit_event SET summary = 'rewritten'", "DELETE FROM audit_event"])
def test_the_database_refuses_to_change_or_delete_an_audit_event(db, trail, statement):
    with pytest.raises(sa.exc.DBAPIError, match=REFUSED), db.session.begin_nested():
        db.session.execute(sa.text(statement))
    assert [e.summary for e in _events(db)] == [e.summary for e in trail]


def test_each_event_links_to_the_one_before_it(db, trail):
    for earlier, later in pairwise(trail):
        assert later.previous_hash == earlier.hash
    assert len({e.hash for e in trail}) == len(trail)


def test_audit_verify_says_an_untouched_trail_is_intact(db, runner, trail):
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert f"Audit trail intact: {len(trail)} events." in result.output


def test_audit_verify_finds_an_event_changed_with_the_triggers_off(db, runner, trail):
    changed = trail[-2]
    with triggers_disabled(db):
        db.session.execute(
            sa.text("UPDATE audit_event SET summary = 'Nothing happened' WHERE id = :id"), {"id": changed.id}
        )
    result = _verify(runner)
    assert result.exit_code == 1
    assert f"Audit trail broken at event {changed.id} " in result.output
    assert "test.chained: Nothing happened" in result.output
    assert "the event was changed after it was written" in result.output
    assert f"The {len(trail) - 2} events before it are intact." in result.output


def test_audit_verify_finds_an_event_changed_together_with_its_hash(db, runner, trail):
    """Recomputing the changed event's hash moves the break to the next event, which links to the old one."""
    changed, following = trail[-2], trail[-1]
    content = {column: getattr(changed, column) for column in CONTENT} | {"summary": "Nothing happened"}
    with triggers_disabled(db):
        db.session.execute(
            sa.text("UPDATE audit_event SET summary = 'Nothing happened', hash = :forged WHERE id = :id"),
            {"id": changed.id, "forged": event_hash(content, changed.previous_hash)},
        )
    result = _verify(runner)
    assert result.exit_code == 1
    assert f"Audit trail broken at event {following.id} " in result.output
    assert "it does not follow the event before it" in result.output


def test_audit_verify_finds_a_deleted_event(db, runner, trail):
    removed, following = trail[-2], trail[-1]
    with triggers_disabled(db):
        db.session.execute(sa.text("DELETE FROM audit_event WHERE id = :id"), {"id": removed.id})
    result = _verify(runner)
    assert result.exit_code == 1
    assert f"Audit trail broken at event {following.id} " in result.output
    assert "an earlier event was removed, added or changed" in result.output


def test_bulk_events_join_the_same_chain_in_order(db, coordinator, trail):
    rows = [audit_row(coordinator, "test.bulk", "User", coordinator.id, summary=f"Bulk {n}") for n in range(5)]
    record_audit_rows(rows)
    record_audit(coordinator, "test.after_bulk", coordinator, after={"when": "after", 7: [1, 2]})
    db.session.commit()
    events = _events(db)
    assert [e.action for e in events[-6:]] == ["test.bulk"] * 5 + ["test.after_bulk"]
    assert events[-6].previous_hash == trail[-1].hash
    result = verify()
    assert result.intact, result.broken
    assert result.count == len(events)


def test_the_migration_chains_the_events_written_before_it(tmp_path):
    app, cleanup = make_test_app(tmp_path, "chain-migration")
    old_events = sa.table(
        "audit_event",
        sa.column("at", UTCDateTime()),
        sa.column("action", sa.String),
        sa.column("subject_type", sa.String),
        sa.column("summary", sa.Text),
        sa.column("after", sa.JSON),
    )
    try:
        with app.app_context():
            _db.drop_all()
            upgrade(revision="a14c0e5e1d01")
            _db.session.execute(
                sa.insert(old_events),
                [
                    {"at": now_utc(), "action": "old.event", "subject_type": "User", "summary": f"Old {n}", "after": {}}
                    for n in range(3)
                ],
            )
            _db.session.commit()
            _db.session.remove()  # the migration alters the table: hold no connection open
            upgrade()
            result = verify()
            assert (result.intact, result.count) == (True, 3)
            with pytest.raises(sa.exc.DBAPIError, match=REFUSED):
                _db.session.execute(sa.text("DELETE FROM audit_event"))
            _db.session.rollback()
    finally:
        cleanup()


def test_concurrent_writers_append_one_after_another(tmp_path):
    """Writers in parallel transactions (threads, each with its own connection) still form one chain: on
    PostgreSQL the advisory lock makes each read the tail only after the one before has committed; on SQLite
    each takes the write lock before it reads the tail, so none reads a tail another is about to extend."""
    app, cleanup = make_test_app(tmp_path, "chain-concurrency")
    writers, rounds = 6, 5
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def one_turn(number: int, turn: int) -> None:
        rows = [audit_row(None, "test.parallel", "Test", None, summary=f"{number}.{turn}.{n}") for n in range(2)]
        record_audit_rows(rows)
        record_audit(None, "test.parallel", _Subject(number), summary=f"{number}.{turn}")
        _db.session.commit()

    def write(number: int) -> None:
        try:
            with app.app_context():
                start.wait()
                for turn in range(rounds):
                    one_turn(number, turn)
                _db.session.remove()
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    try:
        threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        with app.app_context():
            result = verify()
            assert result.broken is None
            assert result.count == writers * rounds * 3
            _db.session.remove()
    finally:
        cleanup()


class _Subject:
    def __init__(self, number: int) -> None:
        self.id = number


def test_emptying_the_table_at_once_is_refused(db, trail):
    """TRUNCATE on PostgreSQL; SQLite's equivalent is a DELETE without a condition."""
    statement = "TRUNCATE audit_event" if db.engine.dialect.name == "postgresql" else "DELETE FROM audit_event"
    with pytest.raises(sa.exc.DBAPIError, match=REFUSED), db.session.begin_nested():
        db.session.execute(sa.text(statement))
    assert len(_events(db)) == len(trail)


def test_the_seeded_demo_academys_trail_verifies(demo_academy):
    result = demo_academy.app.test_cli_runner().invoke(args=["academy", "audit-verify"])
    assert result.exit_code == 0, result.output
    assert "Audit trail intact: " in result.output
