"""The applicant's photo (照片) for the individual Word form, read from storage."""

from __future__ import annotations

import hashlib
import logging

from portal.applications.models import Application, ApplicationVersion, FileCategory
from portal.campaigns.models import CategoryKind
from portal.files.models import StoredFile
from portal.storage import get_storage

log = logging.getLogger(__name__)

PHOTO_KINDS = ("jpeg", "png")
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # a photo larger than this is not put in the form


def draft_photo(app: Application) -> bytes | None:
    """The bytes of the packet's latest photo for the individual form, if it has a readable one."""
    if app.category.kind is not CategoryKind.INDIVIDUAL:
        return None
    photos = [f for f in app.files if f.category is FileCategory.PHOTO]
    if not photos:
        return None
    return read_photo(max(photos, key=lambda f: f.id).stored_file)


def version_photo(app: Application, ver: ApplicationVersion) -> bytes | None:
    """The bytes of the latest photo frozen in a version, if it has a readable one."""
    if app.category.kind is not CategoryKind.INDIVIDUAL:
        return None
    ids = [
        f["stored_file_id"]
        for f in ver.snapshot.get("files", [])
        if f.get("category") == FileCategory.PHOTO.value
    ]
    frozen = {s.id: s for s in ver.stored_files}
    photos = [frozen[i] for i in ids if i in frozen]
    return read_photo(photos[-1]) if photos else None


def read_photo(stored: StoredFile) -> bytes | None:
    """The stored photo's bytes, or None (with a warning) when they cannot be had whole."""
    if stored.kind not in PHOTO_KINDS or stored.size > MAX_PHOTO_BYTES:
        return None
    storage = get_storage()
    if storage.backend != stored.backend:
        log.warning("photo %s is on %s storage, not on this one", stored.id, stored.backend)
        return None
    try:
        with storage.open(stored.key) as fh:
            blob = fh.read(MAX_PHOTO_BYTES + 1)
    except Exception:  # a missing object or an unreachable store must not fail the form
        log.warning("photo %s could not be read from storage at %s", stored.id, stored.key)
        return None
    if len(blob) != stored.size or hashlib.sha256(blob).hexdigest() != stored.sha256:
        log.warning("photo %s in storage differs from what was uploaded", stored.id)
        return None
    return blob
