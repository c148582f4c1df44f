"""Backup and restore: the database and the uploaded files in one archive, readable by its owner only.

The archive is a gzipped tar holding `manifest.json` (what it holds and from where), the database
(`database.sqlite`, a copy made with SQLite's online backup API, or `database.pgdump`, pg_dump's custom
format of the academy's schema) and `uploads/` (the evidence attachments). Both databases are copied
while the academy keeps running: SQLite's backup API and pg_dump each read one consistent snapshot.

A restore replaces everything, so it refuses a database or uploads folder that already holds data
unless told to (`force`); on PostgreSQL the schema is emptied and reloaded by psql in one transaction,
so a failed restore leaves the database as it was.
"""

import json
import os
import re
import shutil
import sqlite3
import subprocess  # pg_dump, pg_restore and psql, run with argument lists, never a shell  # nosec B404
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

FORMAT = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
DUMPS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
# Tables whose rows say nothing about the academy's data (the migration revision is always there).
BOOKKEEPING_TABLES = frozenset({"alembic_version"})
# pg_dump's entries that create or comment on the schema itself: a restore refills the existing schema.
SCHEMA_ENTRY = re.compile(r"^\d+; \d+ \d+ (SCHEMA|COMMENT - SCHEMA|ACL - SCHEMA) ")


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    database: str
    files: int


# --- backup -----------------------------------------------------------------------------------------


def write_backup(engine: Engine, upload_folder: Path, target: Path) -> Summary:
    """Write the database and every uploaded file to `target` (mode 0600, replaced whole or not at all)."""
    kind = _database_kind(engine)
    target = target.resolve()
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    with tempfile.TemporaryDirectory(prefix="academy-backup-") as work:
        dump = Path(work) / DUMPS[kind]
        manifest = {"format": FORMAT, "database": kind, "created_at": datetime.now(UTC).isoformat()}
        if kind == "sqlite":
            _sqlite_copy(engine, dump)
        else:
            manifest["schema"] = _current_schema(engine)
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  f"--schema={manifest['schema']}", f"--file={dump}"], _pg_environment(engine), "pg_dump")  # fmt: skip
        files = sorted(path for path in upload_folder.rglob("*") if path.is_file()) if upload_folder.is_dir() else []
        manifest["files"] = len(files)
        # mkstemp makes the file 0600 whatever the umask; it is renamed over `target` only once complete.
        descriptor, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                archive.add(dump, arcname=dump.name)
                for path in files:
                    archive.add(path, arcname=f"{UPLOADS}/{path.relative_to(upload_folder).as_posix()}")
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return Summary(database=kind, files=len(files))


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, _BytesReader(data))


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data = memoryview(data)
        self._at = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + size
        chunk = self._data[self._at : end].tobytes()
        self._at += len(chunk)
        return chunk


def _sqlite_copy(engine: Engine, dump: Path) -> None:
    copy = sqlite3.connect(dump)
    try:
        live = engine.raw_connection()
        try:
            _sqlite_connection(live.driver_connection).backup(copy)
        finally:
            live.close()
    finally:
        copy.close()
    dump.chmod(0o600)


# --- restore ----------------------------------------------------------------------------------------


def restore_backup(engine: Engine, upload_folder: Path, source: Path, *, force: bool = False) -> Summary:
    """Replace the database and the uploads with those in the archive `source`."""
    kind = _database_kind(engine)
    with tempfile.TemporaryDirectory(prefix="academy-restore-") as work:
        unpacked = Path(work)
        manifest = _unpack(source, unpacked)
        if manifest.get("database") != kind:
            raise BackupError(
                f"{source} holds a {manifest.get('database')} database, but this academy runs on {kind}: "
                "restore it into an academy on the same kind of database."
            )
        if kind == "postgresql" and manifest.get("schema") != (schema := _current_schema(engine)):
            raise BackupError(
                f"{source} holds the PostgreSQL schema {manifest.get('schema')!r}, but this academy uses "
                f"{schema!r}: restore it with the same schema in the search path."
            )
        if not force:
            _refuse_to_overwrite(engine, upload_folder)
        dump = unpacked / DUMPS[kind]
        if kind == "sqlite":
            _sqlite_restore(engine, dump)
        else:
            _postgresql_restore(engine, dump, manifest["schema"], unpacked)
        engine.dispose()  # no pooled connection keeps a view of the old tables
        files = _replace_uploads(unpacked / UPLOADS, upload_folder)
    return Summary(database=kind, files=files)


def tables_with_rows(engine: Engine) -> list[str]:
    """The academy's tables that hold at least one row (the empty schema of a fresh install holds none)."""
    names = [name for name in sa.inspect(engine).get_table_names() if name not in BOOKKEEPING_TABLES]
    with engine.connect() as connection:
        return [
            name
            for name in sorted(names)
            if connection.execute(sa.select(sa.literal(1)).select_from(sa.table(name)).limit(1)).first()
        ]


def _refuse_to_overwrite(engine: Engine, upload_folder: Path) -> None:
    filled = tables_with_rows(engine)
    files = upload_folder.is_dir() and any(path.is_file() for path in upload_folder.rglob("*"))
    if filled or files:
        held = []
        if filled:
            held.append(f"the database already holds data ({len(filled)} tables with rows, such as {filled[0]})")
        if files:
            held.append(f"the uploads folder {upload_folder} already holds files")
        raise BackupError(
            f"Nothing was restored: {' and '.join(held)}. A restore replaces all of it with the backup; "
            "to do that, run the command again with --force."
        )


def _unpack(source: Path, into: Path) -> dict:
    try:
        with tarfile.open(source, mode="r:gz") as archive:
            # The "data" filter refuses absolute paths, links out of the folder and device files.
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{source} is not a backup made by this command ({error}).") from error
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not a backup made by this command (no readable {MANIFEST}).") from error
    if manifest.get("format") != FORMAT or not (into / DUMPS.get(manifest.get("database"), "-")).is_file():
        raise BackupError(f"{source} is not a backup this version of the academy can read.")
    return manifest


def _sqlite_restore(engine: Engine, dump: Path) -> None:
    engine.dispose()
    backup = sqlite3.connect(dump)
    try:
        live = engine.raw_connection()
        try:
            # The online backup API in reverse: every page of the live database replaced in one step.
            backup.backup(_sqlite_connection(live.driver_connection))
        finally:
            live.close()
    finally:
        backup.close()


def _postgresql_restore(engine: Engine, dump: Path, schema: str, work: Path) -> None:
    environment = _pg_environment(engine)
    listing = _run(["pg_restore", "--list", str(dump)], environment, "pg_restore")
    entries = work / "entries.list"
    entries.write_text("\n".join(line for line in listing.splitlines() if not SCHEMA_ENTRY.match(line)) + "\n")
    script = _run(
        ["pg_restore", "--no-owner", "--no-privileges", f"--use-list={entries}", "--file=-", str(dump)],
        environment,
        "pg_restore",
    )
    # Empty the schema and load the backup in one transaction: psql stops at the first error and
    # rolls everything back, so a failed restore changes nothing.
    program = work / "restore.sql"
    program.write_text(_empty_schema_sql(schema) + script, encoding="utf-8")
    _run(["psql", "--quiet", "--no-psqlrc", "--single-transaction", "--set=ON_ERROR_STOP=1",
          f"--file={program}"], environment, "psql")  # fmt: skip


# Empties the app's schema before a restore; __SCHEMA__ becomes the schema's name as an SQL literal.
EMPTY_SCHEMA_SQL = """
-- A web server or worker still running holds locks on the tables: give up rather than wait for ever.
SET lock_timeout = '30s';
DO $academy$
DECLARE item record;
BEGIN
  FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = __SCHEMA__ LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I.%I CASCADE', __SCHEMA__, item.tablename);
  END LOOP;
  FOR item IN SELECT viewname FROM pg_views WHERE schemaname = __SCHEMA__ LOOP
    EXECUTE format('DROP VIEW IF EXISTS %I.%I CASCADE', __SCHEMA__, item.viewname);
  END LOOP;
  FOR item IN SELECT sequencename FROM pg_sequences WHERE schemaname = __SCHEMA__ LOOP
    EXECUTE format('DROP SEQUENCE IF EXISTS %I.%I CASCADE', __SCHEMA__, item.sequencename);
  END LOOP;
  FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = __SCHEMA__ LOOP
    EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', item.signature);
  END LOOP;
  FOR item IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = __SCHEMA__ AND t.typtype IN ('e', 'd') LOOP
    EXECUTE format('DROP TYPE IF EXISTS %I.%I CASCADE', __SCHEMA__, item.typname);
  END LOOP;
END
$academy$;
"""


def _empty_schema_sql(schema: str) -> str:
    quoted = "'" + schema.replace("'", "''") + "'"  # the schema name, quoted as an SQL literal
    return EMPTY_SCHEMA_SQL.replace("__SCHEMA__", quoted)


def _replace_uploads(unpacked: Path, upload_folder: Path) -> int:
    """Put the backup's uploads in place of the folder's contents (the old folder goes only afterwards)."""
    upload_folder.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=f".{upload_folder.name}.restoring-", dir=upload_folder.parent))
    if unpacked.is_dir():
        shutil.copytree(unpacked, incoming, dirs_exist_ok=True)
    for path in incoming.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    replaced = upload_folder.with_name(f".{upload_folder.name}.replaced")
    if upload_folder.exists():
        shutil.rmtree(replaced, ignore_errors=True)
        os.replace(upload_folder, replaced)
    os.replace(incoming, upload_folder)
    shutil.rmtree(replaced, ignore_errors=True)
    return sum(1 for path in upload_folder.rglob("*") if path.is_file())


# --- shared -----------------------------------------------------------------------------------------


def _database_kind(engine: Engine) -> str:
    kind = engine.dialect.name
    if kind not in DUMPS:
        raise BackupError(f"Backups are made of SQLite and PostgreSQL databases, not {kind}.")
    return kind


def _sqlite_connection(connection: object) -> sqlite3.Connection:
    if not isinstance(connection, sqlite3.Connection):
        raise BackupError("The SQLite database is not reached through Python's sqlite3 module.")
    return connection


def _current_schema(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.scalar(sa.text("SELECT current_schema()")))


def _pg_environment(engine: Engine) -> dict[str, str]:
    """libpq's settings for the app's database, passed in the environment (a password never in `ps`)."""
    url = engine.url
    settings = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),
    }
    return {**os.environ, **{name: str(value) for name, value in settings.items() if value}}


def _run(command: list[str], environment: dict[str, str], program: str) -> str:
    try:
        # A fixed program and an argument list, never a shell: nothing in it is parsed.
        done = subprocess.run(  # argument list of a PostgreSQL client program  # nosec B603
            command, env=environment, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as missing:
        raise BackupError(f"{program} is not installed; install PostgreSQL's client programs.") from missing
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout
