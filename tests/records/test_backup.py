"""`flask backup` and `flask restore` on the embedded default (SQLite and local files), and
the clear refusal on PostgreSQL or S3."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest
import sqlalchemy as sa

from portal import audit, create_app
from portal.audit import AuditEntry
from portal.files.models import StoredFile
from portal.storage import get_storage
from tests.conftest import make_test_config, reset_schema
from tests.factories import make_application, make_campaign
from tests.records.helpers import attach_pdf

AUDIT_KEY = "backup-test-audit-key-kept-apart-from-backups"


def _portal(folder, **extra):
    """A portal on its own SQLite file in `folder`, whose writes commit for real."""
    url = f"sqlite:///{folder / 'portal.sqlite3'}"
    return create_app(make_test_config(url, folder, AUDIT_KEY=AUDIT_KEY, **extra))


@pytest.fixture
def live(tmp_path):
    """A running portal's instance with two packets, their PDFs, and an audit trail."""
    folder = tmp_path / "live"
    folder.mkdir()
    app = _portal(folder)
    reset_schema(app.extensions["portal.db"]["engine"])
    with app.app_context():
        from portal.db import get_session

        session = get_session()
        campaign = make_campaign(year=2024)
        for n in range(2):
            packet = make_application(campaign=campaign)
            attach_pdf(packet, body=b"%PDF-1.4\n" + bytes([n]) * 4000 + b"\n%%EOF\n")
            audit.record(session, actor=None, action="application.demo", obj=packet)
        session.commit()
    yield app  # outside its context: each command pushes the context of the app it runs on
    app.extensions["portal.db"]["engine"].dispose()


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_a_restored_backup_has_an_intact_chain_and_every_file(live, tmp_path):
    dest = tmp_path / "backup"
    made = _run(live, "backup", str(dest))
    assert made.exit_code == 0, made.output
    assert "database and 2 files, audit chain of" in made.output
    manifest = json.loads((dest / "manifest.json").read_text("utf-8"))
    assert set(manifest["files"]) == {"portal.sqlite3", *(f"files/{k}" for k in _keys(live))}
    assert manifest["warnings"] == []
    verified = _run(live, "archive", "verify", str(dest))
    assert verified.exit_code == 0, verified.output

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    restored = _portal(fresh)
    result = _run(restored, "restore", str(dest))
    assert result.exit_code == 0, result.output
    with restored.app_context():
        from portal.db import get_session

        session = get_session()
        check = audit.verify(session)
        assert check.ok and check.checked == manifest["audit_anchor"]["count"] >= 2
        assert audit.anchor(session).hash == manifest["audit_anchor"]["hash"]
        rows = session.scalars(sa.select(StoredFile)).all()
        assert len(rows) == 2
        for row in rows:
            with get_storage().open(row.key) as fh:
                assert hashlib.sha256(fh.read()).hexdigest() == row.sha256
    restored.extensions["portal.db"]["engine"].dispose()
    assert _run(restored, "audit", "verify").exit_code == 0


def _keys(app) -> list[str]:
    with app.app_context():
        from portal.db import get_session

        return list(get_session().scalars(sa.select(StoredFile.key)))


def test_the_copy_is_consistent_while_a_writer_holds_a_transaction(live, tmp_path):
    database = live.config["SQLALCHEMY_URL"].removeprefix("sqlite:///")
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO calendar_day (day, kind, note) VALUES ('2026-10-01', 'holiday', 'x')"
    )
    try:
        made = _run(live, "backup", str(tmp_path / "backup"))
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert made.exit_code == 0, made.output
    copy = sqlite3.connect(tmp_path / "backup" / "portal.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT count(*) FROM calendar_day").fetchone() == (0,)
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy.close()


def test_restore_refuses_an_instance_in_use_and_a_damaged_backup(live, tmp_path):
    dest = tmp_path / "backup"
    assert _run(live, "backup", str(dest)).exit_code == 0
    in_use = _run(live, "restore", str(dest))
    assert in_use.exit_code == 1
    assert "already exists: restore only into a fresh instance" in in_use.output

    key = _keys(live)[0]
    (dest / "files" / key).write_bytes(b"%PDF-1.4 altered")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    damaged = _run(_portal(fresh), "restore", str(dest))
    assert damaged.exit_code == 1
    assert f"files/{key}: SHA-256 does not match the manifest; nothing restored" in damaged.output
    assert list(fresh.iterdir()) == []

    again = _run(live, "backup", str(dest))
    assert again.exit_code == 1
    assert "already exists and is not empty" in again.output


def test_bad_paths_get_a_clear_message(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    app = _portal(folder)
    missing_db = _run(app, "backup", str(tmp_path / "backup"))
    assert missing_db.exit_code == 1
    assert "there is no database at" in missing_db.output
    missing_src = _run(app, "restore", str(tmp_path / "nowhere"))
    assert missing_src.exit_code == 2
    assert "does not exist" in missing_src.output


def test_on_postgresql_and_s3_the_command_names_the_tools_and_writes_nothing(tmp_path):
    url = "postgresql+psycopg://portal@db.invalid:5432/portal"
    app = create_app(make_test_config(url, tmp_path / "pg"))
    result = _run(app, "backup", str(tmp_path / "backup"))
    assert result.exit_code == 1
    assert "this portal runs on postgresql, not the embedded SQLite" in result.output
    assert "pg_dump -Fc" in result.output and "pg_restore" in result.output
    assert not (tmp_path / "backup").exists()
    restore = _run(app, "restore", str(tmp_path))
    assert restore.exit_code == 1 and "pg_restore" in restore.output

    s3 = _portal(tmp_path, STORAGE_BACKEND="s3", S3_BUCKET="portal-uploads")
    result = _run(s3, "backup", str(tmp_path / "backup"))
    assert result.exit_code == 1
    assert "aws s3 sync s3://portal-uploads" in result.output
    assert not (tmp_path / "backup").exists()


def test_audit_entries_survive_only_through_the_chain(live, tmp_path):
    """A backup is taken of what committed: the copy's chain head is the live one's."""
    with live.app_context():
        from portal.db import get_session

        head = audit.anchor(get_session())
        count = get_session().scalar(sa.select(sa.func.count(AuditEntry.id)))
    assert _run(live, "backup", str(tmp_path / "b")).exit_code == 0
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text("utf-8"))
    assert manifest["audit_anchor"] == {"count": count, "hash": head.hash}
