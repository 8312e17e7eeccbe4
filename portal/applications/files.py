"""A packet's files: the types each category takes, the campaign's caps on size and number,
attaching uploads (one or several) and removing them from the draft; every change audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal import audit
from portal.applications.errors import ApplicationError
from portal.applications.models import Application, ApplicationFile, FileCategory, version_file
from portal.applications.rules import require_editable
from portal.campaigns.models import Campaign
from portal.db import lock_row
from portal.files.models import StoredFile
from portal.files.service import UploadRejected, delete_stored_file, store_upload
from portal.storage import ByteStream

MB = 1024 * 1024


CATEGORY_KINDS = {
    FileCategory.SEALED_FORM: ("pdf", "jpeg", "png"),
    FileCategory.INTRODUCTION: ("pdf", "docx"),
    FileCategory.EVIDENCE: ("pdf", "jpeg", "png", "docx", "xlsx"),
    FileCategory.SURVEY: ("pdf", "jpeg", "png", "docx", "xlsx"),
    FileCategory.PHOTO: ("jpeg", "png"),
}


def allowed_kinds(campaign: Campaign, category: FileCategory) -> tuple[str, ...]:
    """The file types a category takes, as far as the campaign allows them."""
    return tuple(k for k in CATEGORY_KINDS[category] if k in (campaign.allowed_file_types or []))


def packet_bytes(app: Application) -> int:
    return sum(f.stored_file.size for f in app.files)


def _check_caps_locked(session: Session, app: Application, actor, stored) -> None:
    """Check the caps again under the packet's row lock, against what is committed now.

    Parallel uploads each passed the first check on their own; the lock (SELECT … FOR
    UPDATE; SQLite serialises writers anyway) lets them attach one at a time. A refusal
    rolls back, which deletes the stored object (portal.files.service).
    """
    lock_row(session, Application, app.id)
    session.refresh(app, ["state"])
    require_editable(actor, app)
    count, total = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(StoredFile.size), 0))
        .select_from(ApplicationFile)
        .join(StoredFile, StoredFile.id == ApplicationFile.stored_file_id)
        .where(ApplicationFile.application_id == app.id)
    ).one()
    campaign = app.campaign
    if count >= campaign.max_files:
        raise ApplicationError("too_many_files", max=campaign.max_files)
    limit = campaign.max_packet_mb * MB
    if total + stored.size > limit:
        raise UploadRejected(
            "packet_too_large",
            filename=stored.filename,
            limit=limit,
            remaining=max(0, limit - total),
        )


def add_file(
    session: Session,
    app: Application,
    actor,
    *,
    category: FileCategory,
    stream: ByteStream,
    filename: str,
) -> ApplicationFile:
    """Store an upload and attach it to the draft, within the campaign's caps: types allowed
    for the category, size per file, size of the whole packet, number of files.

    Raises UploadRejected (with a message naming the file and the limit) or
    ApplicationError('too_many_files'); either way nothing else in the draft changes.
    """
    require_editable(actor, app)
    campaign = app.campaign
    if len(app.files) >= campaign.max_files:
        raise ApplicationError("too_many_files", max=campaign.max_files)
    packet_limit = campaign.max_packet_mb * MB
    packet_left = packet_limit - packet_bytes(app)
    if packet_left <= 0:
        raise UploadRejected("packet_too_large", filename=filename, limit=packet_limit, remaining=0)
    stored = store_upload(
        session,
        stream,
        filename=filename,
        allowed_kinds=set(allowed_kinds(campaign, category)),
        max_bytes=campaign.max_file_mb * MB,
        actor=actor,
        prefix=f"applications/{app.id}",
        packet_remaining=packet_left,
        packet_limit=packet_limit,
    )
    _check_caps_locked(session, app, actor, stored)
    link = ApplicationFile(application=app, stored_file=stored, category=category)
    session.add(link)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="application.add_file",
        obj=app,
        after={
            "file_id": link.id,
            "category": category,
            "stored_file_id": stored.id,
            "filename": stored.filename,
            "size": stored.size,
            "sha256": stored.sha256,
        },
    )
    return link


@dataclass
class FileOutcome:
    """What became of one file of a several-file upload: its link, or why it was refused."""

    filename: str
    link: ApplicationFile | None = None
    problem: str | None = None


def add_files(
    session: Session,
    app: Application,
    actor,
    *,
    category: FileCategory,
    uploads: Iterable[tuple[ByteStream, str]],
) -> list[FileOutcome]:
    """Attach several uploads (stream, filename) one after another, each stored and checked
    as `add_file` does and committed on its own: a refused file is rolled back alone, with
    its reason, and leaves the files before and after it and the draft as they are."""
    outcomes = []
    for stream, filename in uploads:
        try:
            link = add_file(
                session, app, actor, category=category, stream=stream, filename=filename
            )
        except UploadRejected as err:  # its message names the file
            session.rollback()
            outcomes.append(FileOutcome(filename, problem=str(err.message)))
        except ApplicationError as err:
            session.rollback()
            problem = _l(
                "“%(name)s” is not uploaded: %(reason)s", name=filename, reason=err.message
            )
            outcomes.append(FileOutcome(filename, problem=str(problem)))
        else:
            session.commit()
            outcomes.append(FileOutcome(filename, link=link))
    return outcomes


def in_a_version(session: Session, stored_file_id: int) -> bool:
    return (
        session.execute(
            sa.select(sa.func.count())
            .select_from(version_file)
            .where(version_file.c.stored_file_id == stored_file_id)
        ).scalar_one()
        > 0
    )


def remove_file(session: Session, app: Application, actor, file_id: int) -> None:
    """Take a file out of the draft. A file that belongs to a submitted version is only
    unlinked; one that never left the draft is deleted from storage too."""
    require_editable(actor, app)
    link = next((f for f in app.files if f.id == file_id), None)
    if link is None:
        raise ApplicationError("file_not_found")
    stored = link.stored_file
    info = {"file_id": link.id, "stored_file_id": stored.id, "filename": stored.filename}
    app.files.remove(link)
    session.flush()
    keep = in_a_version(session, stored.id)
    if not keep:
        delete_stored_file(session, stored, actor=actor)
    audit.record(
        session,
        actor=actor,
        action="application.remove_file",
        obj=app,
        before=info,
        after={"kept_in_storage": keep},
    )
