"""Retention (保存期限): what has been kept long enough, and removing it.

Each campaign says how long its records are kept (`records_kept_years`, at least two years
after the public notice closes; `honour_records_kept_years` after a title expires or is
revoked). Then:

- a packet that was not awarded loses its stored files and personal data (names, ID numbers,
  birth dates, mobiles, phones, e-mail, narrative), in the packet, its members and its frozen
  versions; what stays is anonymous: counts, sexes, ages at the reference date, industry,
  district, category, outcome, scores and opinions;
- an objection loses its objector's name, mobile, e-mail and address, and its evidence
  files unless the packet was awarded (they then belong to the honour's record);
- an honour whose keeping time ended loses the ID numbers, birth dates, mobiles and phones of
  its packet, members and versions (names stay: the honour roll is public).

Nothing is marked purged: a record is due while it still holds such data, so a second run
finds nothing. Each purged record gets one `retention.purge` audit entry, appended like any
other, so the chain still verifies.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.applications.models import (
    Application,
    ApplicationFile,
    ApplicationState,
    ApplicationVersion,
    version_file,
)
from portal.audit import AuditEntry
from portal.campaigns.models import Campaign
from portal.checks import mask_mobile
from portal.clock import SHANGHAI, shanghai_today
from portal.db import Base
from portal.files.models import StoredFile
from portal.honours.models import Honour
from portal.notice.models import Objection, ObjectionFile, PublicNotice
from portal.storage import get_storage

log = logging.getLogger(__name__)

# Columns blanked on a packet that was not awarded (None, or "" where the column is NOT NULL).
PACKET_PERSONAL = {
    "leader_name": None,
    "leader_mobile": None,
    "person_name": None,
    "ethnicity": None,
    "political_status": None,
    "education": None,
    "id_number": None,
    "office_phone": None,
    "mobile": None,
    "email": None,
    "birth_date": None,
    "deeds_summary": None,
    "unit_opinion": None,
    "narrative": "",
}
# Columns blanked on an awarded packet once its honour's keeping time has ended.
HONOUR_PERSONAL = {
    "id_number": None,
    "leader_mobile": None,
    "office_phone": None,
    "mobile": None,
    "birth_date": None,
}


@dataclass(frozen=True)
class Due:
    """One record whose data has passed its keeping time."""

    kind: str  # not_awarded | objection | honour_expired
    object_type: str
    object_id: int
    kept_until: date
    description: str
    year: int


@dataclass
class Removed:
    records: int = 0
    objects: list[tuple[str, str]] = field(default_factory=list)  # (backend, key) to delete


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def selection_kept_until(session: Session, campaign: Campaign) -> date:
    """The last day the selection records are kept: N years after the notice closed (after
    the review deadline for a year that never reached a notice)."""
    closes = session.scalar(
        sa.select(PublicNotice.closes_at).where(PublicNotice.campaign_id == campaign.id)
    )
    # closes_at is exclusive (midnight after the last day): the second before is in it.
    ended = closes - timedelta(seconds=1) if closes else campaign.review_deadline
    return add_years(ended.astimezone(SHANGHAI).date(), campaign.records_kept_years)


def honour_kept_until(honour: Honour, campaign: Campaign) -> date:
    ended = honour.valid_until
    if honour.revoked_at is not None:
        ended = min(ended, honour.revoked_at.astimezone(SHANGHAI).date())
    return add_years(ended, campaign.honour_records_kept_years)


def _stored_files(session: Session, app: Application) -> list[StoredFile]:
    version_ids = sa.select(ApplicationVersion.id).where(
        ApplicationVersion.application_id == app.id
    )
    ids = sa.union(
        sa.select(ApplicationFile.stored_file_id).where(ApplicationFile.application_id == app.id),
        sa.select(version_file.c.stored_file_id).where(version_file.c.version_id.in_(version_ids)),
    )
    return list(session.scalars(sa.select(StoredFile).where(StoredFile.id.in_(ids))))


def _held(obj, columns: dict) -> list[str]:
    return [name for name, blank in columns.items() if getattr(obj, name) not in (None, "", blank)]


def _members_hold(app: Application, names: bool) -> bool:
    ref = app.campaign.reference_date
    return any(
        m.id_number or (names and m.name) or m.birth_date != age_preserving_date(m.birth_date, ref)
        for m in app.members
    )


def _packet_description(session: Session, app: Application) -> str | None:
    files = _stored_files(session, app)
    held = _held(app, PACKET_PERSONAL)
    if not files and not held and not _members_hold(app, names=True):
        return None
    return f"packet not awarded ({app.state.value}): {len(files)} files, personal data"


def _objection_files_due(objection: Objection) -> bool:
    return bool(objection.files) and objection.application.state is not ApplicationState.AWARDED


def find_due(session: Session, today: date | None = None) -> list[Due]:
    """Every record whose data has passed its keeping time, oldest campaign first."""
    today = today or shanghai_today()
    due: list[Due] = []
    for campaign in session.scalars(sa.select(Campaign).order_by(Campaign.year)):
        until = selection_kept_until(session, campaign)
        if today > until:
            due += _due_selection(session, campaign, until)
        for honour in session.scalars(
            sa.select(Honour).where(Honour.campaign_id == campaign.id).order_by(Honour.id)
        ):
            honour_until = honour_kept_until(honour, campaign)
            app = honour.application
            if today > honour_until and (
                _held(app, HONOUR_PERSONAL) or _members_hold(app, names=False)
            ):
                text = f"honour {honour.certificate_number} ended: ID numbers and mobiles"
                due.append(
                    Due("honour_expired", "honour", honour.id, honour_until, text, campaign.year)
                )
    return due


def _due_selection(session: Session, campaign: Campaign, until: date) -> list[Due]:
    due = []
    packets = session.scalars(
        sa.select(Application)
        .where(
            Application.campaign_id == campaign.id, Application.state != ApplicationState.AWARDED
        )
        .order_by(Application.id)
    )
    for app in packets:
        text = _packet_description(session, app)
        if text:
            due.append(
                Due(
                    "not_awarded",
                    "application",
                    app.id,
                    until,
                    f"{campaign.year} {text}",
                    campaign.year,
                )
            )
    objections = session.scalars(
        sa.select(Objection)
        .join(PublicNotice, PublicNotice.id == Objection.notice_id)
        .where(PublicNotice.campaign_id == campaign.id)
        .order_by(Objection.id)
    )
    for objection in objections:
        if (
            objection.name
            or objection.email
            or objection.ip_address
            or _objection_files_due(objection)
        ):
            text = f"{campaign.year} objection {objection.case_number}: objector's data"
            due.append(Due("objection", "objection", objection.id, until, text, campaign.year))
    return due


def unarchived_years(session: Session, due: list[Due]) -> list[int]:
    """Years with due records that `flask archive` never archived (no campaign.archive entry)."""
    years = sorted({item.year for item in due})
    archived = session.scalars(
        sa.select(Campaign.year).where(
            Campaign.year.in_(years),
            sa.exists().where(
                AuditEntry.action == "campaign.archive",
                AuditEntry.object_type == "campaign",
                AuditEntry.object_id == sa.cast(Campaign.id, sa.String),
            ),
        )
    )
    return [y for y in years if y not in set(archived)]


def age_preserving_date(birth: date, reference: date) -> date:
    """A stand-in birth date that gives the same age at the reference date and tells no more:
    the reference date's day and month, in the year that keeps the age."""
    age = (
        reference.year - birth.year - ((reference.month, reference.day) < (birth.month, birth.day))
    )
    return add_years(reference, -age)


def _scrub_snapshot(snapshot: dict, columns: dict, reference: date, names: bool) -> dict:
    """The version's frozen data with the same fields blanked as on the packet."""
    data = copy.deepcopy(snapshot)
    fields = data.get("fields") or {}
    for name in columns:
        if name in fields:
            fields[name] = columns[name]
    form = data.get("form") or {}
    person = form.get("person") or {}
    team = form.get("team") or {}
    for key in ("id_number", "mobile", "office_phone", "birth_date"):
        if key in person:
            person[key] = ""
    if "leader_mobile" in team:
        team["leader_mobile"] = ""
    if names:
        for key in ("name", "ethnicity", "political_status", "education", "email"):
            if key in person:
                person[key] = ""
        if "leader_name" in team:
            team["leader_name"] = ""
        for key in ("deeds_summary", "unit_opinion"):
            if key in form:
                form[key] = ""
        data["narrative"] = ""
        for f in data.get("files") or []:
            f["filename"] = ""
    for member in [*(form.get("members") or []), *(data.get("members") or [])]:
        _scrub_member_dict(member, reference, names)
    return data


def _scrub_member_dict(member: dict, reference: date, names: bool) -> None:
    if member.get("id_number") is not None:
        member["id_number"] = ""
    if member.get("birth_date"):
        birth = date.fromisoformat(member["birth_date"])
        member["birth_date"] = age_preserving_date(birth, reference).isoformat()
    if names:
        member["name"] = ""


def _scrub_packet(session: Session, app: Application, columns: dict, names: bool) -> list[str]:
    held = _held(app, columns)
    for name in held:
        setattr(app, name, columns[name])
    reference = app.campaign.reference_date
    for member in app.members:
        member.id_number = None
        member.birth_date = age_preserving_date(member.birth_date, reference)
        if names:
            member.name = ""
    for version in app.versions:
        version.snapshot = _scrub_snapshot(version.snapshot or {}, columns, reference, names)
    return held


def _delete_files(session: Session, files: list[StoredFile], removed: Removed) -> list[dict]:
    ids = [f.id for f in files]
    if not ids:
        return []
    session.flush()
    session.execute(sa.delete(version_file).where(version_file.c.stored_file_id.in_(ids)))
    session.execute(sa.delete(ApplicationFile).where(ApplicationFile.stored_file_id.in_(ids)))
    session.execute(sa.delete(ObjectionFile).where(ObjectionFile.stored_file_id.in_(ids)))
    gone = [{"id": f.id, "sha256": f.sha256, "size": f.size, "kind": f.kind} for f in files]
    removed.objects += [(f.backend, f.key) for f in files]
    for f in files:
        session.delete(f)
    session.flush()
    session.expire_all()  # collections loaded before still list the links just deleted
    return gone


def _purge_packet(session: Session, app: Application, removed: Removed) -> dict:
    files = _delete_files(session, _stored_files(session, app), removed)
    fields = _scrub_packet(session, app, PACKET_PERSONAL, names=True)
    return {"files": files, "fields": fields, "members": len(app.members)}


def _purge_objection(session: Session, objection: Objection, removed: Removed) -> dict:
    fields = [n for n in ("name", "email", "ip_address") if getattr(objection, n)]
    files = []
    if _objection_files_due(objection):
        files = _delete_files(session, [f.stored_file for f in objection.files], removed)
    objection.name, objection.email, objection.ip_address = "", None, ""
    objection.mobile = mask_mobile(objection.mobile)
    return {"files": files, "fields": [*fields, "mobile"]}


def _purge_honour(session: Session, honour: Honour, removed: Removed) -> dict:
    app = honour.application
    fields = _scrub_packet(session, app, HONOUR_PERSONAL, names=False)
    return {"application_id": app.id, "fields": fields, "members": len(app.members)}


# Each kind of due record: its model, and what removes the personal data of one of its rows.
PURGES: dict[str, tuple[type[Base], Callable[[Session, Any, Removed], dict]]] = {
    "not_awarded": (Application, _purge_packet),
    "objection": (Objection, _purge_objection),
    "honour_expired": (Honour, _purge_honour),
}


def apply(session: Session, due: list[Due], today: date | None = None, actor=None) -> Removed:
    """Remove the data of every due record, in the caller's transaction; the caller commits,
    then deletes the stored objects with delete_objects(removed.objects)."""
    removed = Removed()
    for item in due:
        model, purge = PURGES[item.kind]
        obj = session.get(model, item.object_id)
        if obj is None:
            continue
        before = purge(session, obj, removed)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="retention.purge",
            obj=obj,
            before=before,
            after={
                "kind": item.kind,
                "kept_until": item.kept_until,
                "on": today or shanghai_today(),
            },
            reason="keeping time passed",
        )
        removed.records += 1
    return removed


def delete_objects(objects: list[tuple[str, str]]) -> list[str]:
    """Delete the stored bytes of purged files (after the commit); the failures, described."""
    storage = get_storage()
    failures = []
    for backend, key in objects:
        if backend != storage.backend:
            failures.append(f"{key} is on {backend} storage, not {storage.backend}: not deleted")
            continue
        try:
            storage.delete(key)
        except Exception as exc:  # the rows are gone; say which bytes are left behind
            log.exception("could not delete stored object %s", key)
            failures.append(f"{key} could not be deleted: {exc}")
    return failures
