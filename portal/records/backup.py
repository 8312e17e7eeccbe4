"""Backup and restore of the embedded default: the SQLite database and the local files.

The database is copied with SQLite's online backup API, which gives a consistent copy while
the portal keeps serving (readers and writers go on; a write during the copy restarts it).
It is copied before the files: stored files are written before the row that names them
commits and are never changed, so every file the copied database names is already there
(unless deleted since, which the backup reports). PostgreSQL and S3 have their own tools,
named in the README; the command says so rather than copying half of the data.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from portal.db import utcnow
from portal.records.common import (
    MANIFEST,
    Manifest,
    RecordsError,
    first_mismatch,
    read_manifest,
    require_empty_dir,
)

FORMAT = "service-star-backup/1"
DATABASE = "portal.sqlite3"
FILES = "files"
POSTGRESQL_ADVICE = (
    "this portal runs on {dialect}, not the embedded SQLite: back it up with the database's "
    "own tools, e.g. 'pg_dump -Fc -f portal.dump DATABASE_URL' and restore with "
    "'pg_restore --clean --if-exists -d DATABASE_URL portal.dump' (see the README, "
    "'Archive, retention and backup'). Nothing was written."
)
S3_ADVICE = (
    "uploads live in the S3 bucket {bucket}: keep the bucket versioned and copy it with "
    "'aws s3 sync s3://{bucket} DEST' (see the README). Nothing was written."
)


@dataclass
class BackupResult:
    files: int
    audit_count: int
    warnings: list[str] = field(default_factory=list)


def _sqlite_path(app: Flask) -> Path:
    url = app.config["SQLALCHEMY_URL"]
    if not url.startswith("sqlite:///"):
        dialect = url.split(":", 1)[0].split("+", 1)[0]
        raise RecordsError(POSTGRESQL_ADVICE.format(dialect=dialect))
    if app.config.get("STORAGE_BACKEND", "local") != "local":
        raise RecordsError(S3_ADVICE.format(bucket=app.config.get("S3_BUCKET")))
    return Path(url.removeprefix("sqlite:///"))


def _copy_database(source: Path, target: Path) -> None:
    """Online copy with the backup API; the copy is one self-contained file (no WAL)."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=1024)
        dst.execute("PRAGMA journal_mode=DELETE")
        dst.commit()
    finally:
        dst.close()
        src.close()


def _local_files(root: Path):
    """Stored files under the local root, without spool or half-written temporary files."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            yield relative.as_posix(), path


def _stored_files(database: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        return conn.execute(
            "SELECT id, key, sha256 FROM stored_file WHERE backend = 'local'"
        ).fetchall()


def _audit_head(database: Path) -> tuple[int, str]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        head = conn.execute("SELECT count, last_hash FROM audit_head WHERE id = 1").fetchone()
    return head or (0, "0" * 64)


def backup(app: Flask, dest: Path) -> BackupResult:
    """Write the database, the files and a manifest of SHA-256 sums to `dest` (new or empty)."""
    source = _sqlite_path(app)
    if not source.is_file():
        raise RecordsError(f"there is no database at {source} to back up")
    require_empty_dir(dest, "the backup folder")
    existed = dest.exists()
    dest.mkdir(parents=True, exist_ok=True)
    try:
        return _write_backup(app, source, dest)
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)  # no half-written backup is left to trust
        if existed:
            dest.mkdir()
        raise


def _write_backup(app: Flask, source: Path, dest: Path) -> BackupResult:
    manifest = Manifest(dest, FORMAT)
    _copy_database(source, dest / DATABASE)
    manifest.add_file(DATABASE)
    root = Path(app.config["STORAGE_LOCAL_ROOT"])
    for relpath, path in _local_files(root):
        with open(path, "rb") as stream:
            manifest.write_stream(f"{FILES}/{relpath}", stream)
    warnings = []
    for file_id, key, sha256 in _stored_files(dest / DATABASE):
        entry = manifest.files.get(f"{FILES}/{key}")
        if entry is None:
            warnings.append(f"stored file {file_id} ({key}) is missing from the files folder")
        elif entry["sha256"] != sha256:
            warnings.append(f"stored file {file_id} ({key}) does not match its SHA-256")
    count, last_hash = _audit_head(dest / DATABASE)
    manifest.meta = {
        "created_at": utcnow(),
        "database": DATABASE,
        "audit_anchor": {"count": count, "hash": last_hash},
        "warnings": warnings,
    }
    manifest.save()
    return BackupResult(len(manifest.files) - 1, count, warnings)


@dataclass
class RestoreResult:
    files: int


def _instance_is_fresh(app: Flask, database: Path, files_root: Path) -> None:
    """Refuse an instance that already holds a database or stored files (a config file of its
    own is expected: it holds the keys)."""
    if database.exists():
        raise RecordsError(f"{database} already exists: restore only into a fresh instance")
    if any(True for _ in _local_files(files_root)):
        raise RecordsError(f"{files_root} already holds files: restore only into a fresh one")
    instance = Path(app.instance_path)
    others = sorted(
        p.name
        for p in (instance.iterdir() if instance.is_dir() else ())
        if p.name != "config.py" and p.resolve() != files_root.resolve()
    )
    if others:
        raise RecordsError(
            f"the instance folder {instance} is not empty ({', '.join(others)}): "
            "restore only into a fresh one"
        )


def restore(app: Flask, src: Path) -> RestoreResult:
    """Check the backup against its manifest, then copy it into this fresh instance."""
    database = _sqlite_path(app)
    data = read_manifest(src)
    if data.get("format") != FORMAT:
        raise RecordsError(f"{src / MANIFEST} is not the manifest of a backup")
    mismatch = first_mismatch(src)
    if mismatch:
        raise RecordsError(f"the backup at {src} is damaged: {mismatch}; nothing restored")
    files_root = Path(app.config["STORAGE_LOCAL_ROOT"])
    _instance_is_fresh(app, database, files_root)
    database.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / DATABASE, database)
    copied = 0
    for relpath in data["files"]:
        if relpath.startswith(FILES + "/"):
            target = files_root / relpath.removeprefix(FILES + "/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src / relpath, target)
            copied += 1
    return RestoreResult(copied)
