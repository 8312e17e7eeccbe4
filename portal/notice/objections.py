"""Objections (异议) to candidates on public notice: intake, flood limits, the office's cases.

Intake is open to anyone during the notice window, under a real name and mobile number. Flood
protection counts stored objections in the database (several app servers share it): at most
`NOTICE_OBJECTIONS_PER_ADDRESS_HOUR` from one network address in an hour and
`NOTICE_OBJECTIONS_PER_MOBILE_DAY` from one mobile number in 24 hours; a honeypot field and a
minimum fill time keep scripts out; the same objection sent twice is refused with its case.
The counts and the duplicate check run under a lock on the notice's row, so parallel
objections are counted one after another and a limit holds exactly.

A case is followed by its number and the objector's mobile. The number carries 80 random bits
(16 characters of a 32-letter alphabet) and lookups are throttled per address and per case
number (`NOTICE_LOOKUPS_PER_ADDRESS_HOUR`, `NOTICE_LOOKUPS_PER_CASE_HOUR`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import BinaryIO

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session, joinedload, selectinload

from portal import audit
from portal.accounts.models import User
from portal.applications.models import Application, ApplicationState
from portal.applications.workflow import fire
from portal.checks import is_mobile, mask_mobile
from portal.db import utcnow
from portal.files.service import UploadRejected, store_upload
from portal.mail import send_mail
from portal.notice import rules, throttle
from portal.notice.errors import NoticeError
from portal.notice.models import (
    Objection,
    ObjectionFile,
    ObjectionStatus,
    PublicNotice,
)
from portal.notice.service import republish
from portal.notice.workflow import OBJECTION_WORKFLOW
from portal.storage import get_storage

EVIDENCE_KINDS = {"pdf", "jpeg", "png"}
MAX_EVIDENCE_FILES = 5
MAX_EVIDENCE_MB = 10
MIN_FILL_SECONDS = 5
MAX_FILL_SECONDS = 24 * 3600
CASE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CASE_GROUPS = 4  # of 4 characters: 16 * log2(32) = 80 random bits
LOOKUP_WINDOW = timedelta(hours=1)


def _limit(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def reason_digest(reason: str) -> str:
    return hashlib.sha256(" ".join(reason.split()).encode()).hexdigest()


def case_number(year: int) -> str:
    """YY<year>-XXXX-XXXX-XXXX-XXXX: 80 random bits, read and typed in groups of four."""
    groups = ("".join(secrets.choice(CASE_ALPHABET) for _ in range(4)) for _ in range(CASE_GROUPS))
    return f"YY{year}-" + "-".join(groups)


def normalize_case(text: str | None) -> str:
    """A case number as typed (any case, spaces or dashes anywhere) in its stored form."""
    compact = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if not compact.startswith("YY") or len(compact) <= 6:
        return compact
    head, tail = compact[:6], compact[6:]
    return head + "".join(f"-{tail[i : i + 4]}" for i in range(0, len(tail), 4))


def objectable(session: Session, notice: PublicNotice, application_id: int) -> Application | None:
    """The candidate on this notice that may be objected to, or None."""
    app = session.get(Application, application_id)
    if (
        app is None
        or app.campaign_id != notice.campaign_id
        or app.state
        not in (
            ApplicationState.CANDIDATE,
            ApplicationState.AWARDED,
        )
    ):
        return None
    return app


def _check_window(notice: PublicNotice, now: datetime) -> None:
    if now < notice.opens_at:
        raise NoticeError("window_not_open", when=notice.opens_at)
    if now >= notice.closes_at:
        raise NoticeError("window_closed", when=notice.closes_at - timedelta(seconds=1))


def _check_flood(session: Session, mobile: str, ip: str, now: datetime) -> None:
    per_address = _limit("NOTICE_OBJECTIONS_PER_ADDRESS_HOUR", 10)
    per_mobile = _limit("NOTICE_OBJECTIONS_PER_MOBILE_DAY", 5)
    from_address = session.execute(
        sa.select(sa.func.count(Objection.id)).where(
            Objection.ip_address == ip, Objection.created_at > now - timedelta(hours=1)
        )
    ).scalar_one()
    if ip and from_address >= per_address:
        raise NoticeError("too_many_from_address")
    from_mobile = session.execute(
        sa.select(sa.func.count(Objection.id)).where(
            Objection.mobile == mobile, Objection.created_at > now - timedelta(days=1)
        )
    ).scalar_one()
    if from_mobile >= per_mobile:
        raise NoticeError("too_many_from_mobile", max=per_mobile)


def submit_objection(
    session: Session,
    notice: PublicNotice,
    app: Application,
    *,
    name: str,
    mobile: str,
    email: str | None,
    reason: str,
    files: Sequence[tuple[BinaryIO, str]] = (),
    ip: str = "",
    honeypot: str = "",
    filled_seconds: float | None = None,
    now: datetime | None = None,
) -> Objection:
    """Accept an objection within the window, or raise NoticeError / UploadRejected.

    Checks in order: the window, the honeypot and fill time, the candidate, duplicates, the
    flood limits; then evidence files are streamed to storage. Nothing is kept on refusal.
    """
    now = now or utcnow()
    _check_window(notice, now)
    if honeypot:
        raise NoticeError("rejected")
    if filled_seconds is not None and filled_seconds > MAX_FILL_SECONDS:
        raise NoticeError("form_expired")
    if filled_seconds is None or filled_seconds < MIN_FILL_SECONDS:
        raise NoticeError("too_fast")
    mobile = mobile.strip()
    if not is_mobile(mobile):
        raise NoticeError("rejected")
    if app.campaign_id != notice.campaign_id or app.state is not ApplicationState.CANDIDATE:
        raise NoticeError("not_on_list")
    _lock_notice(session, notice)
    digest = reason_digest(reason)
    earlier = session.scalar(
        sa.select(Objection).where(
            Objection.notice_id == notice.id,
            Objection.application_id == app.id,
            Objection.mobile == mobile,
            Objection.reason_digest == digest,
        )
    )
    if earlier is not None:
        raise NoticeError("duplicate", case=earlier.case_number)
    _check_flood(session, mobile, ip, now)
    if len(files) > MAX_EVIDENCE_FILES:
        raise NoticeError("too_many_files", max=MAX_EVIDENCE_FILES)
    stored = _store_evidence(session, notice, files)
    objection = Objection(
        notice_id=notice.id,
        application_id=app.id,
        case_number=case_number(notice.campaign.year),
        name=name.strip(),
        mobile=mobile,
        email=(email or "").strip() or None,
        reason=reason.strip(),
        reason_digest=digest,
        ip_address=ip[:45],
        created_at=now,
    )
    objection.files = [ObjectionFile(stored_file=s) for s in stored]
    session.add(objection)
    session.flush()
    audit.record(
        session,
        actor=None,
        action="objection.submit",
        obj=objection,
        after={
            "case": objection.case_number,
            "application_id": app.id,
            "objector": objection.name,
            "mobile": mask_mobile(mobile),
            "files": [s.id for s in stored],
        },
    )
    return objection


def _lock_notice(session: Session, notice: PublicNotice) -> None:
    """Take the notice's row lock before counting: parallel objections queue here, so each
    counts the ones committed before it (PostgreSQL row lock; SQLite's write lock, taken by
    the UPDATE, does the same)."""
    session.execute(
        sa.update(PublicNotice)
        .where(PublicNotice.id == notice.id)
        .values(objections_received=PublicNotice.objections_received + 1)
    )


def _store_evidence(session: Session, notice: PublicNotice, files) -> list:
    stored: list = []
    try:
        for stream, filename in files:
            stored.append(
                store_upload(
                    session,
                    stream,
                    filename=filename,
                    allowed_kinds=EVIDENCE_KINDS,
                    max_bytes=MAX_EVIDENCE_MB * 1024 * 1024,
                    prefix=f"objections/{notice.id}",
                )
            )
    except UploadRejected:
        storage = get_storage()
        for s in stored:
            try:
                storage.delete(s.key)
            except Exception:  # an orphaned object is harmless; the refusal is what matters
                current_app.logger.exception("could not delete %s", s.key)
        raise
    return stored


def _lookup_limits() -> tuple[throttle.Limit, throttle.Limit]:
    return (
        throttle.Limit(
            "case_lookup_address", _limit("NOTICE_LOOKUPS_PER_ADDRESS_HOUR", 30), LOOKUP_WINDOW
        ),
        throttle.Limit(
            "case_lookup_case", _limit("NOTICE_LOOKUPS_PER_CASE_HOUR", 10), LOOKUP_WINDOW
        ),
    )


def lookup_case(
    session: Session, case: str, mobile: str, *, ip: str = "", now: datetime | None = None
) -> Objection | None:
    """The case when the number and the objector's mobile both match; otherwise None.

    Every lookup counts against its address and its case number, matched or not; beyond
    either limit it is refused with NoticeError('too_many_lookups'). The caller commits, so
    that the count stays even when nothing is found.
    """
    case = normalize_case(case)
    mobile = (mobile or "").strip()
    if not case or not mobile:
        return None
    now = now or utcnow()
    per_address, per_case = _lookup_limits()
    refused = ip and throttle.over(session, per_address, ip, now)
    refused = throttle.over(session, per_case, case, now) or refused
    if refused:
        raise NoticeError("too_many_lookups", retry_after=throttle.retry_after(now, LOOKUP_WINDOW))
    objection = session.scalar(
        sa.select(Objection)
        .where(Objection.case_number == case)
        .options(joinedload(Objection.application))
    )
    if objection is None or not hmac.compare_digest(objection.mobile, mobile):
        return None
    return objection


# --- the office's handling ---------------------------------------------------------------------


def list_objections(
    session: Session, campaign_id: int | None = None, status: ObjectionStatus | None = None
) -> list[Objection]:
    query = (
        sa.select(Objection)
        .join(Objection.notice)
        .options(
            joinedload(Objection.application).joinedload(Application.organization),
            joinedload(Objection.application).joinedload(Application.category),
            joinedload(Objection.investigator),
            joinedload(Objection.notice).joinedload(PublicNotice.campaign),
            selectinload(Objection.files),
        )
        .order_by(Objection.id.desc())
    )
    if campaign_id is not None:
        query = query.where(PublicNotice.campaign_id == campaign_id)
    if status is not None:
        query = query.where(Objection.status == status)
    return list(session.scalars(query).unique())


def _check_version(objection: Objection, lock_version: int | None) -> None:
    if lock_version is not None and lock_version != objection.lock_version:
        raise NoticeError("stale")
    if objection.decided:
        raise NoticeError("already_decided_case")


def assign_investigator(
    session: Session, objection: Objection, actor: User, investigator: User, lock_version=None
) -> None:
    """Assign (or change) the investigator; a received case is now under investigation."""
    _check_version(objection, lock_version)
    if not rules.can_investigate(investigator):
        raise NoticeError("not_investigator")
    before = {"investigator_id": objection.investigator_id}
    if objection.status is ObjectionStatus.RECEIVED:
        OBJECTION_WORKFLOW.fire(
            session,
            objection,
            ObjectionStatus.INVESTIGATING,
            actor=actor,
            extra={"investigator_id": investigator.id},
        )
    objection.investigator = investigator
    audit.record(
        session,
        actor=actor,
        action="objection.assign",
        obj=objection,
        before=before,
        after={"investigator_id": investigator.id},
    )


def record_findings(
    session: Session, objection: Objection, actor: User, findings: str, lock_version=None
) -> None:
    """Save the findings; a received case is now under investigation."""
    _check_version(objection, lock_version)
    before = {"findings": objection.findings}
    if objection.status is ObjectionStatus.RECEIVED:
        OBJECTION_WORKFLOW.fire(session, objection, ObjectionStatus.INVESTIGATING, actor=actor)
    objection.findings = findings.strip()
    audit.record(
        session,
        actor=actor,
        action="objection.findings",
        obj=objection,
        before=before,
        after={"findings": objection.findings},
    )


def decide_objection(
    session: Session,
    objection: Objection,
    actor: User,
    *,
    upheld: bool,
    reply: str,
    findings: str | None = None,
    lock_version=None,
    now: datetime | None = None,
) -> None:
    """Uphold or dismiss with a reply the objector sees (and receives by mail if they gave one).

    Upheld: the candidate is disqualified through the application workflow and the public
    list is republished without it.
    """
    _check_version(objection, lock_version)
    if not reply.strip():
        raise NoticeError("reply_required")
    now = now or utcnow()
    reply = reply.strip()
    changes: dict[str, object] = {"reply": reply, "decided_at": now, "decided_by_id": actor.id}
    if findings is not None:
        changes["findings"] = findings.strip()
    OBJECTION_WORKFLOW.fire(
        session,
        objection,
        ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED,
        actor=actor,
        reason=reply,
        extra={"reply": reply},
        changes=changes,
        now=now,
    )
    app = objection.application
    if upheld and app.state is ApplicationState.CANDIDATE:
        fire(
            session,
            app,
            ApplicationState.DISQUALIFIED,
            actor,
            reason=f"{objection.case_number}: {objection.reply}",
        )
        republish(session, objection.notice, now)
    session.flush()
    if objection.email:
        send_mail(
            session,
            objection.email,
            _("Your objection %(case)s has been decided", case=objection.case_number),
            _(
                "Dear %(name)s,\n\nThe programme office has decided your objection %(case)s: "
                "%(decision)s.\n\n%(reply)s\n",
                name=objection.name,
                case=objection.case_number,
                decision=_("upheld") if upheld else _("dismissed"),
                reply=objection.reply,
            ),
        )
