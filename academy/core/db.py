"""Declarative base, constraint naming, and column types shared by every feature."""

import re
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def now_utc() -> datetime:
    """The current time, tz-aware UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=now_utc)


def enum_column(enum_cls: type, **kwargs) -> sa.Enum:
    """A portable enum column stored as its values (VARCHAR plus CHECK, no native PG type)."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=40,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        **kwargs,
    )


# How long a connection waits for another's write to finish before giving up ("database is locked").
SQLITE_BUSY_TIMEOUT_MS = 15_000
# Statements that write: the first of them in a transaction takes SQLite's write lock.
WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)
WRITE_LOCKED = "academy.sqlite.write_locked"  # connection info: this transaction holds the write lock


def configure_engine(engine: sa.Engine) -> None:
    """Make SQLite behave like PostgreSQL where it matters: foreign keys, real transactions, and
    concurrent use without "database is locked".

    - WAL journal (file databases): readers never wait for the writer, nor the writer for readers.
    - A busy timeout: a connection that finds the write lock taken waits for it instead of failing.
    - Write transactions take the lock up front. A transaction begins deferred, so reading takes no
      lock; its first write ends that read-only transaction and begins again with BEGIN IMMEDIATE,
      which waits (the busy timeout) for the write lock. A deferred transaction that read and then
      writes cannot wait: once another connection has committed, SQLite refuses it at once, whatever
      the timeout, which is what made simultaneous sign-ins fail. As with PostgreSQL's default READ
      COMMITTED, what the transaction reads after its first write is the latest committed data. The
      write lock is held from the first write to the commit only, never while a page renders.
      Inside a savepoint (the tests' rolled-back transactions) the transaction is left as it is.
    """
    if engine.dialect.name != "sqlite":
        return
    in_memory = engine.url.database in (None, "", ":memory:") or "mode=memory" in str(engine.url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (savepoints work).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory:  # an in-memory database has no journal file to share
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint; safe with WAL
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.info[WRITE_LOCKED] = False
        connection.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "before_cursor_execute")
    def _lock_before_first_write(connection, cursor, statement, parameters, context, executemany) -> None:
        if WRITES.match(statement):
            _take_write_lock(connection, cursor.execute)


def _take_write_lock(connection: sa.Connection, execute) -> None:
    if connection.info.get(WRITE_LOCKED, True):
        return
    connection.info[WRITE_LOCKED] = True
    if connection.in_nested_transaction() or not connection.in_transaction():
        return
    # Nothing has been written yet, so ending the read-only transaction loses nothing.
    execute("COMMIT")
    execute("BEGIN IMMEDIATE")


def lock_for_writing(connection: sa.Connection) -> None:
    """Take SQLite's write lock now, before reading what a write will depend on (the audit chain's tail):
    a row read before the lock may be stale by the time the write begins. Elsewhere it does nothing."""
    if connection.dialect.name == "sqlite":
        _take_write_lock(connection, connection.exec_driver_sql)
