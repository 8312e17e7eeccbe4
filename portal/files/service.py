"""Storing, sending and deleting uploaded files: streamed, recognised by content, hashed.

Which request body views should feed to `store_upload`:
- HTML forms (multipart/form-data): `request.files["file"].stream`. Werkzeug's form parser
  spools each file larger than 500 KB to a temporary file, so memory stays small.
- Large uploads and the API: a raw-body PUT/POST with Content-Type application/octet-stream
  and the file name in the X-Filename header (percent-encoded UTF-8) or the `filename` query
  argument: `store_upload(session, stream_request_body(), filename=request_upload_filename(),
  ...)` with the two helpers of portal.files.intake. Nothing is parsed or spooled by
  Werkzeug; the body goes straight to the 1 MiB loop, and a body shorter than its declared
  length is refused.

An object stored by `store_upload` is deleted again unless the session's transaction commits,
so a request refused (or failing) after the bytes were stored leaves no object behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import abort, current_app, redirect
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from portal import audit
from portal.db import end_read_only_transaction, utcnow
from portal.files.models import StoredFile
from portal.files.sniff import (
    CONTENT_TYPES,
    EXTENSIONS,
    HEAD_SIZE,
    ZIP_MAGIC,
    ends_whole,
    is_ole,
    sniff_kind,
)
from portal.storage import (
    CHUNK_SIZE,
    ByteStream,
    SpooledS3Upload,
    content_disposition,
    get_storage,
)

log = logging.getLogger(__name__)

REJECTION_KEYS = (
    "empty",
    "too_large",
    "packet_too_large",
    "type_not_allowed",
    "unrecognised",
    "truncated",
)
KIND_NAMES = {
    "pdf": "PDF",
    "jpeg": "JPEG",
    "png": "PNG",
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
}
KIND_SUFFIXES = {
    "pdf": {"pdf"},
    "jpeg": {"jpg", "jpeg"},
    "png": {"png"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
}
MAX_FILENAME_LENGTH = 255
_PENDING_DELETES = "portal.files.pending_deletes"
_UNCOMMITTED = "portal.files.uncommitted"
# A spool file nobody has written to for this long belongs to a worker that died mid-upload
# (a live upload writes to its file every few seconds at most).
SPOOL_MAX_AGE_SECONDS = 6 * 60 * 60


def format_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} B"


class UploadRejected(Exception):
    """An upload refused for a reason the uploader can act on; nothing was stored."""

    def __init__(self, key: str, **params) -> None:
        if key not in REJECTION_KEYS:
            raise ValueError(f"unknown rejection key {key!r}")
        super().__init__(key, params)
        self.key = key
        self.params = params

    @property
    def message(self) -> str:
        """The reason in the user's language, naming the file and the limit broken."""
        p = self.params
        name = p.get("filename", "")
        if self.key == "empty":
            return _("The file “%(name)s” is empty.", name=name)
        if self.key == "too_large":
            return _(
                "The file “%(name)s” is larger than the limit of %(limit)s per file.",
                name=name,
                limit=format_size(p["limit"]),
            )
        if self.key == "packet_too_large":
            return _(
                "The file “%(name)s” would take the application packet over its limit of "
                "%(limit)s; %(remaining)s is left.",
                name=name,
                limit=format_size(p["limit"]),
                remaining=format_size(p["remaining"]),
            )
        if self.key == "type_not_allowed":
            return _(
                "The file “%(name)s” is a %(kind)s file; only %(allowed)s files are accepted here.",
                name=name,
                kind=KIND_NAMES[p["kind"]],
                allowed=", ".join(KIND_NAMES[k] for k in p["allowed"]),
            )
        if self.key == "truncated":
            return _(
                "The file “%(name)s” is cut off: it does not end as a complete %(kind)s file "
                "does. Nothing was kept; upload the whole file again.",
                name=name,
                kind=KIND_NAMES[p["kind"]],
            )
        if p.get("ole"):
            return _(
                "The file “%(name)s” is a password-protected or old-format (.doc, .xls) Office "
                "file; remove the password and save it as .docx or .xlsx.",
                name=name,
            )
        return _(
            "The content of “%(name)s” is not a PDF, JPEG, PNG, Word (.docx) or Excel (.xlsx) "
            "file, whatever its name says.",
            name=name,
        )

    def __str__(self) -> str:
        return f"upload rejected: {self.key} {self.params}"


def sanitise_filename(name: str | None, kind: str | None = None) -> str:
    """A display name: last path part, no control characters, at most 255 characters.

    When the sniffed kind is known, the suffix is made to match it, so a Word file sent as
    "form.pdf" is offered back as "form.docx".
    """
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] not in ("C", "Z") or c == " ")
    name = " ".join(name.split()).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    if kind is not None and suffix.lower() not in KIND_SUFFIXES[kind]:
        if suffix.lower() not in {s for suffixes in KIND_SUFFIXES.values() for s in suffixes}:
            stem = name  # "报告.final" keeps its whole name and gains the real suffix
        suffix = EXTENSIONS[kind]
    stem = stem or "file"
    limit = MAX_FILENAME_LENGTH - (len(suffix) + 1 if suffix else 0)
    return f"{stem[:limit]}.{suffix}" if suffix else stem[:MAX_FILENAME_LENGTH]


def _spool(
    stream: ByteStream,
    tmp: IO[bytes],
    filename: str,
    limits: _Limits,
    on_written: Callable[[int, bytes], None] | None = None,
) -> tuple[int, str, bytes]:
    """Copy the stream to tmp in 1 MiB chunks; stop as soon as a limit is passed.

    Each chunk is written (and flushed, so other readers of the file see it) by a helper
    thread while this one hashes it and reads the next: hashing, writing and socket reads
    release the GIL, so they overlap on a multi-core server. Once the first bytes are in, a
    file whose head already rules it out is refused without reading the rest. After each
    chunk is on disk, `on_written(bytes on disk, head)` is called.
    """
    digest = hashlib.sha256()
    size = 0
    head = b""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-spool") as writer:
        pending: Future | None = None
        pending_end = 0
        while True:
            chunk = stream.read(CHUNK_SIZE)
            if not chunk:
                break
            size += len(chunk)
            limits.check(size, filename)
            if len(head) < HEAD_SIZE:
                head += chunk[: HEAD_SIZE - len(head)]
                if len(head) == HEAD_SIZE:
                    _refuse_by_head(head, filename, limits.allowed_kinds)
            if pending is not None:
                pending.result()  # at most one chunk in flight: memory stays bounded
                if on_written is not None:
                    on_written(pending_end, head)
            pending, pending_end = writer.submit(_write_through, tmp, chunk), size
            digest.update(chunk)
        if pending is not None:
            pending.result()
            if on_written is not None:
                on_written(pending_end, head)
    return size, digest.hexdigest(), head


def _write_through(tmp: IO[bytes], chunk: bytes) -> None:
    tmp.write(chunk)
    tmp.flush()


@dataclass(frozen=True)
class _Limits:
    allowed_kinds: set[str]
    max_bytes: int
    packet_remaining: int | None
    packet_limit: int | None

    def check(self, size: int, filename: str) -> None:
        if size > self.max_bytes:
            raise UploadRejected("too_large", filename=filename, limit=self.max_bytes)
        if self.packet_remaining is not None and size > self.packet_remaining:
            raise UploadRejected(
                "packet_too_large",
                filename=filename,
                limit=self.packet_limit if self.packet_limit is not None else self.packet_remaining,
                remaining=self.packet_remaining,
            )


def _refuse_by_head(head: bytes, filename: str, allowed_kinds: set[str]) -> None:
    """Raise UploadRejected if the first bytes already settle that the file is refused.

    Only a ZIP (maybe .docx or .xlsx) needs its end, the central directory, to be known.
    """
    kind = sniff_kind(head)
    if kind is None and not head.startswith(ZIP_MAGIC):
        raise UploadRejected("unrecognised", filename=filename, ole=is_ole(head))
    if kind is not None and kind not in allowed_kinds:
        _refuse_kind(kind, filename, allowed_kinds)


def _refuse_kind(kind: str, filename: str, allowed_kinds: set[str]) -> None:
    raise UploadRejected(
        "type_not_allowed",
        filename=filename,
        kind=kind,
        allowed=[k for k in KIND_NAMES if k in allowed_kinds],
    )


def _head_content_type(head: bytes, filename: str, allowed_kinds: set[str]) -> str:
    """The content type the head suggests; a ZIP is taken to be what its name says."""
    kind = sniff_kind(head)
    if kind is None:
        suffix = filename.rpartition(".")[2].lower()
        ooxml = [k for k in ("docx", "xlsx") if k in allowed_kinds] or ["docx"]
        kind = suffix if suffix in ooxml else ooxml[0]
    return CONTENT_TYPES[kind]


def _receive(
    stream: ByteStream,
    tmp: IO[bytes],
    display: str,
    limits: _Limits,
    upload: SpooledS3Upload | None,
) -> tuple[int, str, str]:
    """Spool the stream (feeding `upload`, if any) and sniff it: (size, sha256, kind)."""
    on_written = None
    if upload is not None:

        def on_written(on_disk: int, head: bytes) -> None:
            upload.written(on_disk, _head_content_type(head, display, limits.allowed_kinds))

    size, sha256, head = _spool(stream, tmp, display, limits, on_written)
    if size == 0:
        raise UploadRejected("empty", filename=display)
    tmp.seek(0)
    kind = sniff_kind(head, tmp)
    if kind is None:
        raise UploadRejected("unrecognised", filename=display, ole=is_ole(head))
    if kind not in limits.allowed_kinds:
        _refuse_kind(kind, display, limits.allowed_kinds)
    if not ends_whole(kind, tmp, size):
        raise UploadRejected("truncated", filename=display, kind=kind)
    return size, sha256, kind


def store_upload(
    session: Session,
    stream: ByteStream,
    *,
    filename: str,
    allowed_kinds: set[str],
    max_bytes: int,
    actor=None,
    prefix: str = "uploads",
    packet_remaining: int | None = None,
    packet_limit: int | None = None,
) -> StoredFile:
    """Store an uploaded stream and return its flushed StoredFile row.

    The stream is read in 1 MiB chunks into a temporary file (never whole in memory) while
    its SHA-256 and size are computed; reading stops as soon as `max_bytes` (or the packet's
    `packet_remaining` bytes, reported against `packet_limit`) is passed, or as soon as the
    first bytes show a kind that is not allowed. The kind is sniffed from the content and the
    file stored under "<prefix>/<yyyy>/<uuid4 hex>": on S3, each 8 MiB part is uploaded while
    the rest still arrives, and the object is completed once the file is accepted; on local
    storage the temporary file is linked into place. Raises UploadRejected; then nothing is
    stored (an S3 multipart upload already begun is aborted).
    """
    end_read_only_transaction(session)  # no lock or snapshot held while the body arrives
    display = sanitise_filename(filename)
    limits = _Limits(allowed_kinds, max_bytes, packet_remaining, packet_limit)
    storage = get_storage()
    key = f"{prefix.strip('/')}/{utcnow():%Y}/{uuid.uuid4().hex}"
    spool_dir = getattr(storage, "spool_dir", None)
    if spool_dir is not None:
        os.makedirs(spool_dir, exist_ok=True)
        remove_stale_spool_files(spool_dir)
    with tempfile.NamedTemporaryFile(prefix="portal-upload-", dir=spool_dir) as tmp:
        begin = getattr(storage, "begin_spooled_upload", None)
        upload = begin(key, tmp) if begin is not None else None
        try:
            size, sha256, kind = _receive(stream, tmp, display, limits, upload)
            if upload is not None:
                upload.complete(size, CONTENT_TYPES[kind])
            else:
                tmp.seek(0)
                storage.save_stream(key, tmp, content_type=CONTENT_TYPES[kind])
        except BaseException:
            if upload is not None:
                _abort_quietly(upload, key)
            raise
    session.info.setdefault(_UNCOMMITTED, []).append((storage, key))
    try:
        stored = StoredFile(
            backend=storage.backend,
            key=key,
            filename=sanitise_filename(filename, kind),
            content_type=CONTENT_TYPES[kind],
            kind=kind,
            size=size,
            sha256=sha256,
            created_by_id=getattr(actor, "id", None),
        )
        session.add(stored)
        session.flush()
        audit.record(
            session, actor=actor, action="file.store", obj=stored, after=audit.snapshot(stored)
        )
    except BaseException:
        _delete_quietly(storage, key)
        raise
    return stored


def _abort_quietly(upload, key: str) -> None:
    try:
        upload.abort()
    except Exception:  # the original error is what the caller must see
        log.exception("could not abort the upload of %s", key)


def _storage_for(stored: StoredFile):
    storage = get_storage()
    if storage.backend != stored.backend:
        raise RuntimeError(
            f"stored file {stored.id} is on {stored.backend!r} storage, "
            f"but STORAGE_BACKEND is {storage.backend!r}"
        )
    return storage


def send_stored_file(stored: StoredFile, as_attachment: bool = True) -> Response:
    """The download response: a redirect to a presigned URL on S3, else the bytes streamed.

    The caller has already checked that the current user may see this file.
    """
    storage = _storage_for(stored)
    url = storage.url_for_download(stored.key, stored.filename, stored.content_type)
    if url is not None:
        response = redirect(url, code=302)
    else:
        if not storage.exists(stored.key):
            log.error("stored file %s is missing its bytes at %s", stored.id, stored.key)
            abort(404)
        response = current_app.response_class(
            _read_chunks(storage, stored.key), mimetype=stored.content_type
        )
        response.content_length = stored.size
        response.headers["Content-Disposition"] = content_disposition(
            stored.filename, as_attachment
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.set_etag(stored.sha256)
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


def _read_chunks(storage, key: str) -> Iterator[bytes]:
    """The stored bytes in 1 MiB chunks; the file is opened only once the body is sent."""
    with storage.open(key) as fh:
        while chunk := fh.read(CHUNK_SIZE):
            yield chunk


def delete_stored_file(session: Session, stored: StoredFile, actor=None) -> None:
    """Delete the row now and the stored bytes once the transaction commits.

    Deleting the bytes only after the commit means a rolled-back transaction never leaves a
    row pointing at nothing.
    """
    storage = _storage_for(stored)
    audit.record(
        session, actor=actor, action="file.delete", obj=stored, before=audit.snapshot(stored)
    )
    session.delete(stored)
    session.flush()
    session.info.setdefault(_PENDING_DELETES, []).append((storage, stored.key))


@event.listens_for(Session, "after_commit")
def _delete_committed(session: Session) -> None:
    for storage, key in session.info.pop(_PENDING_DELETES, []):
        _delete_quietly(storage, key)
    if not session.in_nested_transaction():
        session.info.pop(_UNCOMMITTED, None)  # stored for good


@event.listens_for(Session, "after_transaction_end")
def _delete_uncommitted(session: Session, transaction) -> None:
    """The session's transaction ended without a commit (rolled back, or closed after an
    error): the objects it stored are referenced by no row, so they go."""
    if transaction.parent is None:
        for storage, key in session.info.pop(_UNCOMMITTED, []):
            _delete_quietly(storage, key)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, _previous_transaction) -> None:
    session.info.pop(_PENDING_DELETES, None)


def _delete_quietly(storage, key: str) -> None:
    try:
        storage.delete(key)
    except Exception:  # an orphaned object is harmless; a failed request is not
        log.exception("could not delete stored object %s", key)


def remove_stale_spool_files(spool_dir: str | os.PathLike[str]) -> int:
    """Delete spool files left by workers that died mid-upload; how many were deleted.

    Files still being written are recent by their modification time and are kept.
    """
    cutoff = time.time() - SPOOL_MAX_AGE_SECONDS
    removed = 0
    try:
        entries = list(os.scandir(spool_dir))
    except FileNotFoundError:
        return 0
    for entry in entries:
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                Path(entry.path).unlink(missing_ok=True)
                removed += 1
        except OSError:  # another worker removed it first
            continue
    if removed:
        log.warning("removed %d stale upload spool file(s) from %s", removed, spool_dir)
    return removed
