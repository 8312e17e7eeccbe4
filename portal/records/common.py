"""What the archive, retention and backup commands share: finding a campaign, JSON out,
streamed copies with their SHA-256, and the manifest that lists every file's sum."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from portal.audit import jsonable
from portal.campaigns.models import Campaign

CHUNK_SIZE = 1024 * 1024
MANIFEST = "manifest.json"
# Columns never written to an archive: credentials and optimistic-lock counters.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "secret", "lock_version"})


class RecordsError(Exception):
    """A refusal with a message for the operator (the command exits 1 with it)."""


def find_campaign(session: Session, text: str) -> Campaign:
    """The campaign named by its year (e.g. 2025) or, failing that, by its id."""
    text = (text or "").strip()
    if not text.isdigit() or len(text) > 9:
        raise RecordsError(f"'{text}' is not a campaign year or id: give a number such as 2025")
    number = int(text)
    campaign = session.scalar(sa.select(Campaign).where(Campaign.year == number))
    campaign = campaign or session.get(Campaign, number)
    if campaign is None:
        raise RecordsError(f"no campaign has the year or id {number}")
    return campaign


def row(obj, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """A row's columns as JSON-safe data; secrets and lock counters are never included."""
    skip = SECRET_COLUMNS.union(exclude)
    return {
        attr.key: jsonable(getattr(obj, attr.key))
        for attr in inspect(obj).mapper.column_attrs
        if attr.key not in skip
    }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Manifest:
    """Every file written under a root, with its size and SHA-256, in the order written."""

    root: Path
    kind: str
    meta: dict[str, Any] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    def _target(self, relpath: str) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write_json(self, relpath: str, data: Any) -> None:
        body = json.dumps(jsonable(data), ensure_ascii=False, indent=2, sort_keys=True)
        self.write_bytes(relpath, (body + "\n").encode("utf-8"))

    def write_bytes(self, relpath: str, data: bytes) -> None:
        self._target(relpath).write_bytes(data)
        self.files[relpath] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

    def write_stream(self, relpath: str, stream: BinaryIO) -> str:
        """Copy a stream in 1 MiB chunks, hashing as it goes; returns the SHA-256."""
        digest, size = hashlib.sha256(), 0
        with open(self._target(relpath), "wb") as out:
            while chunk := stream.read(CHUNK_SIZE):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        self.files[relpath] = {"sha256": digest.hexdigest(), "size": size}
        return digest.hexdigest()

    def add_file(self, relpath: str) -> None:
        """List a file already written under the root."""
        path = self.root / relpath
        self.files[relpath] = {"sha256": sha256_of(path), "size": path.stat().st_size}

    def save(self) -> None:
        data = {"format": self.kind, **self.meta, "files": self.files}
        body = json.dumps(jsonable(data), ensure_ascii=False, indent=2, sort_keys=True)
        (self.root / MANIFEST).write_text(body + "\n", encoding="utf-8")


def read_manifest(root: Path) -> dict[str, Any]:
    path = root / MANIFEST
    if not path.is_file():
        raise RecordsError(f"{root} has no {MANIFEST}: it is not an archive or backup")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise RecordsError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise RecordsError(f"{path} does not list the files and their SHA-256 sums")
    return data


def first_mismatch(root: Path) -> str | None:
    """Check every file against the manifest; describe the first mismatch, or None.

    A file missing, altered, or present without being listed is a mismatch.
    """
    listed = read_manifest(root)["files"]
    for relpath, entry in sorted(listed.items()):
        path = root / relpath
        if ".." in Path(relpath).parts or not path.is_file():
            return f"{relpath}: missing"
        if sha256_of(path) != entry.get("sha256"):
            return f"{relpath}: SHA-256 does not match the manifest"
    for path in sorted(root.rglob("*")):
        relpath = path.relative_to(root).as_posix()
        if path.is_file() and relpath != MANIFEST and relpath not in listed:
            return f"{relpath}: not listed in the manifest"
    return None


def require_empty_dir(path: Path, what: str) -> None:
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise RecordsError(f"{what} {path} already exists and is not empty: choose another")
