"""`flask academy backup` and `restore`: the database and the uploads, round trip, on SQLite and PostgreSQL."""

import hashlib
import shutil
import stat
import tarfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.accounts.models import User
from academy.evidence.attachments import add_attachment, stored_path
from academy.evidence.models import Attachment, EvidenceEntry
from academy.extensions import db
from tests import factories
from tests.conftest import make_test_app

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def academy(tmp_path):
    app, cleanup = make_test_app(tmp_path, "backup")
    yield app
    cleanup()


def build_an_academy() -> dict:
    """A participant with an evidence entry and an uploaded attachment, committed."""
    participant = factories.make_participant()
    entry = factories.make_entry(participant, title="Visit to a family", submit=False)
    attachment = add_attachment(entry, by=participant.user, filename="notes.pdf", data=PDF)
    db.session.commit()
    return {"email": participant.user.email, "entry": entry.id, "stored_name": attachment.stored_name}


def command(app, *args: str):
    return app.test_cli_runner().invoke(args=["academy", *args])


def wipe(app) -> None:
    """The disaster: every table and every uploaded file gone."""
    db.session.remove()
    db.drop_all()
    shutil.rmtree(app.config["UPLOAD_FOLDER"])


def test_a_backup_restores_the_data_and_the_uploaded_files(academy, tmp_path):
    archive = tmp_path / "academy-backup.tar.gz"
    with academy.app_context():
        built = build_an_academy()
        backed_up = command(academy, "backup", str(archive))
        assert backed_up.exit_code == 0, backed_up.output
        assert "1 uploaded files" in backed_up.output
        assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # personal data: readable by its owner only
        with tarfile.open(archive) as contents:
            names = contents.getnames()
        assert "manifest.json" in names
        assert f"uploads/{built['stored_name']}" in names

        wipe(academy)
        assert not sa.inspect(db.engine).has_table("users")

        restored = command(academy, "restore", str(archive))
        assert restored.exit_code == 0, restored.output
        db.session.remove()
        assert db.session.scalar(sa.select(User).where(User.email == built["email"])) is not None
        entry = db.session.get(EvidenceEntry, built["entry"])
        assert entry.title == "Visit to a family"
        attachment = db.session.scalar(sa.select(Attachment).where(Attachment.entry_id == entry.id))
        file = stored_path(attachment)
        assert file.read_bytes() == PDF
        assert hashlib.sha256(file.read_bytes()).hexdigest() == attachment.sha256
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
        db.session.remove()


def test_restore_refuses_to_overwrite_data_unless_forced(academy, tmp_path):
    archive = tmp_path / "before.tar.gz"
    with academy.app_context():
        built = build_an_academy()
        assert command(academy, "backup", str(archive)).exit_code == 0
        later = factories.make_user(roles={"mentor"}, email="added.after.the.backup@example.org").id
        db.session.commit()

        refused = command(academy, "restore", str(archive))
        assert refused.exit_code == 1
        assert "Nothing was restored: the database already holds data" in refused.output
        assert "--force" in refused.output
        db.session.remove()
        assert db.session.get(User, later) is not None  # untouched
        db.session.remove()  # as the app would be, stopped: nothing holds the tables open

        forced = command(academy, "restore", str(archive), "--force")
        assert forced.exit_code == 0, forced.output
        db.session.remove()
        emails = set(db.session.scalars(sa.select(User.email)))
        assert built["email"] in emails
        assert "added.after.the.backup@example.org" not in emails  # back to the moment of the backup
        db.session.remove()


def test_restore_refuses_a_file_that_is_not_a_backup(academy, tmp_path):
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_bytes(b"not an archive")
    with academy.app_context():
        refused = command(academy, "restore", str(bogus))
    assert refused.exit_code == 1
    assert "is not a backup made by this command" in refused.output


def test_backup_into_a_missing_folder_says_so(academy, tmp_path):
    with academy.app_context():
        refused = command(academy, "backup", str(tmp_path / "no-such-folder" / "backup.tar.gz"))
    assert refused.exit_code == 1
    assert "does not exist" in refused.output
    assert not Path(tmp_path / "no-such-folder").exists()
