"""Honours: the final list, the public lists and lookups, and dynamic management (动态管理).

Every change writes its audit entry; callers commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from portal import audit
from portal.accounts.models import User
from portal.applications import workflow as application_workflow
from portal.applications.errors import ApplicationError
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CategoryKind
from portal.db import lock_row, utcnow
from portal.files.service import store_upload
from portal.honours import rules
from portal.honours.errors import HonourError
from portal.honours.models import (
    LIST_ORDER,
    Complaint,
    Honour,
    HonourStatus,
    Inspection,
    InspectionFile,
    RevocationProposal,
)
from portal.notice.models import DECIDED, Objection, PublicNotice
from portal.notice.service import approval_status, notice_closed
from portal.recommendations.balance_kept import BalanceSums
from portal.storage import ByteStream

EVIDENCE_KINDS = {"pdf", "jpeg", "png", "docx"}
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
HONOUR_OPTIONS = (
    joinedload(Honour.campaign),
    joinedload(Honour.category),
    joinedload(Honour.district),
    joinedload(Honour.industry),
    joinedload(Honour.award),
)


# --- the final list ------------------------------------------------------------------------


def notice_has_closed(session: Session, campaign: Campaign, now: datetime | None = None) -> bool:
    """Whether the campaign's public notice window has ended (the notice package decides)."""
    return notice_closed(session, campaign, now=now)


def undecided_objections(session: Session, campaign: Campaign) -> int:
    """Objections to the campaign's public notice that are not yet upheld or dismissed."""
    return session.execute(
        sa.select(sa.func.count(Objection.id))
        .join(PublicNotice, PublicNotice.id == Objection.notice_id)
        .where(PublicNotice.campaign_id == campaign.id, Objection.status.not_in(DECIDED))
    ).scalar_one()


def final_list_refusal(
    session: Session, campaign: Campaign, now: datetime | None = None
) -> HonourError | None:
    """Why the final list cannot be confirmed yet, or None: the notice must have closed,
    every objection to it must be decided (an upheld one withdraws its candidate), and the
    four organizers must have signed the list as it now stands."""
    if not notice_has_closed(session, campaign, now):
        return HonourError("notice_not_closed")
    open_count = undecided_objections(session, campaign)
    if open_count:
        return HonourError("objections_undecided", count=open_count)
    if not approval_status(session, campaign).approved:
        return HonourError("list_unsigned")
    return None


def final_list_confirmed(session: Session, campaign: Campaign) -> bool:
    return session.execute(
        sa.select(sa.exists().where(Honour.campaign_id == campaign.id))
    ).scalar_one()


def _holder_name(app: Application) -> str:
    return app.title or app.organization.name


def confirm_final_list(
    session: Session, campaign: Campaign, actor: User, now: datetime | None = None
) -> list[Honour]:
    """Award every packet still in 'candidate' and give each an Honour; once per campaign.

    Refused before the public notice has closed, and a second time (a double click, or two
    office users at once: the campaign row is locked, and one honour per packet is unique).
    """
    now = now or utcnow()
    if not rules.can_manage_honours(actor):
        raise HonourError("not_allowed")
    lock_row(session, Campaign, campaign.id)
    if final_list_confirmed(session, campaign):
        raise HonourError("already_confirmed")
    refusal = final_list_refusal(session, campaign, now)
    if refusal is not None:
        raise refusal
    candidates = session.scalars(
        sa.select(Application)
        .where(
            Application.campaign_id == campaign.id,
            Application.state == ApplicationState.CANDIDATE,
        )
        .options(joinedload(Application.category), joinedload(Application.organization))
        .order_by(Application.id)
    ).all()
    if not candidates:
        raise HonourError("no_candidates")
    awarded_on = rules.shanghai_today(now)
    serials = {kind: 0 for kind in CategoryKind}
    codes = _fresh_codes(session, len(candidates))
    honours = []
    for app, code in zip(_in_certificate_order(candidates), codes, strict=True):
        try:
            application_workflow.fire(session, app, ApplicationState.AWARDED, actor)
        except ApplicationError as err:
            raise HonourError("award_refused", application_id=app.id) from err
        serials[app.kind] += 1
        honour = Honour(
            application=app,
            campaign_id=campaign.id,
            campaign_year=campaign.year,
            category_id=app.category_id,
            organization_id=app.organization_id,
            district_id=app.district_id,
            industry_id=app.industry_id,
            holder_name=_holder_name(app),
            unit_name=app.organization.name,
            certificate_number=rules.certificate_number(campaign.year, app.kind, serials[app.kind]),
            verification_code=code,
            awarded_on=awarded_on,
            valid_until=rules.valid_until_for(awarded_on),
        )
        session.add(honour)
        honours.append(honour)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="honour.confirm_final_list",
        object_type="final_list",
        object_id=campaign.id,
        after={
            "campaign": campaign.year,
            "awarded_on": awarded_on,
            "certificates": [h.certificate_number for h in honours],
        },
    )
    return honours


def _in_certificate_order(apps) -> list[Application]:
    """Teams first, then individuals; within each, the order the packets were made."""
    return sorted(apps, key=lambda a: (a.kind is not CategoryKind.TEAM, a.category_id, a.id))


def _fresh_codes(session: Session, n: int) -> list[str]:
    codes: list[str] = []
    while len(codes) < n:
        batch = {rules.new_verification_code() for _ in range(n - len(codes))} - set(codes)
        taken = set(
            session.scalars(
                sa.select(Honour.verification_code).where(Honour.verification_code.in_(batch))
            )
        )
        codes.extend(sorted(batch - taken))
    return codes


# --- public lists and lookups --------------------------------------------------------------


def find_by_code(session: Session, raw_code: str | None) -> Honour | None:
    code = rules.normalize_code(raw_code)
    if code is None:
        return None
    return session.scalar(
        sa.select(Honour).where(Honour.verification_code == code).options(*HONOUR_OPTIONS)
    )


def revoked_honours(session: Session) -> list[Honour]:
    return list(
        session.scalars(
            sa.select(Honour)
            .where(Honour.revoked_at.is_not(None))
            .options(*HONOUR_OPTIONS)
            .order_by(Honour.revoked_at.desc(), Honour.id)
        ).unique()
    )


# --- the office's lists --------------------------------------------------------------------


def list_conditions(
    status: HonourStatus | None, today, year=None, until=None
) -> list[sa.ColumnElement[bool]]:
    """What the office's list keeps: the honours of a derived status on `today`, of a campaign
    `year`, or those still active that expire on or before `until` (values, or bind parameters
    of a statement built once: rows.managed_honours)."""
    conditions = []
    if status is not None:
        conditions.append(Honour.status_filter(status, today))
    if until is not None:
        conditions += [
            Honour.status_filter(HonourStatus.ACTIVE, today),
            Honour.valid_until <= until,
        ]
    if year is not None:
        conditions.append(Honour.campaign_year == year)
    return conditions


def list_honours(
    session: Session,
    status: HonourStatus | None = None,
    year: int | None = None,
    today: date | None = None,
    expiring_in: int | None = None,
) -> sa.Select:
    """The office's list query: by campaign year and derived status (computed in SQL), or the
    honours still active that expire within the calendar year `expiring_in`."""
    today = today or rules.shanghai_today()
    until = None if expiring_in is None else date(expiring_in, 12, 31)
    return (
        sa.select(Honour).where(*list_conditions(status, today, year, until)).order_by(*LIST_ORDER)
    )


@dataclass(frozen=True)
class FinalListCampaigns:
    """The campaigns the honours page speaks of, newest first."""

    awaiting: list[tuple[Campaign, int]]  # with packets still in 'candidate', and how many
    honoured: list[Campaign]  # with honours (their certificates)


def final_list_campaigns(session: Session) -> FinalListCampaigns:
    """The campaigns awaiting their final list and those with honours, in one statement."""
    # The packets in 'candidate' as the balance figures keep them counted (a few rows per
    # campaign, portal.recommendations.balance_kept), not each packet counted again.
    candidates = (
        sa.select(sa.func.coalesce(sa.func.sum(BalanceSums.packets), 0))
        .where(
            BalanceSums.campaign_id == Campaign.id,
            BalanceSums.state == ApplicationState.CANDIDATE,
        )
        .scalar_subquery()
    )
    honoured = sa.exists().where(Honour.campaign_id == Campaign.id)
    # Every campaign, a few dozen at most.
    rows = session.execute(
        sa.select(Campaign, candidates, honoured).order_by(Campaign.year.desc())
    ).all()
    return FinalListCampaigns(
        awaiting=[(c, n) for c, n, _honoured in rows if n],
        honoured=[c for c, _n, has_honours in rows if has_honours],
    )


def load_honour(session: Session, honour_id: int) -> Honour | None:
    return session.scalar(
        sa.select(Honour)
        .where(Honour.id == honour_id)
        .options(
            *HONOUR_OPTIONS,
            selectinload(Honour.inspections).selectinload(Inspection.files),
            selectinload(Honour.complaints),
            selectinload(Honour.proposals).selectinload(RevocationProposal.votes),
        )
    )


# --- dynamic management --------------------------------------------------------------------


@dataclass
class InspectionData:
    inspected_on: date
    unannounced: bool
    inspector: str
    findings: str
    score: Decimal | None = None


def record_inspection(
    session: Session,
    honour: Honour,
    actor: User,
    data: InspectionData,
    uploads: Sequence[tuple[ByteStream, str]] = (),
    now: datetime | None = None,
) -> Inspection:
    """An inspection with its evidence files (streamed through store_upload)."""
    if not rules.can_manage_honours(actor):
        raise HonourError("not_allowed")
    if data.inspected_on > rules.shanghai_today(now):
        raise HonourError("date_in_future")
    inspection = Inspection(
        honour=honour,
        inspected_on=data.inspected_on,
        unannounced=data.unannounced,
        inspector=data.inspector.strip(),
        findings=data.findings.strip(),
        score=data.score,
        created_by_id=actor.id,
    )
    session.add(inspection)
    for stream, filename in uploads:
        stored = store_upload(
            session,
            stream,
            filename=filename,
            allowed_kinds=EVIDENCE_KINDS,
            max_bytes=EVIDENCE_MAX_BYTES,
            actor=actor,
            prefix="honours",
        )
        inspection.files.append(InspectionFile(stored_file=stored))
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="honour.record_inspection",
        obj=inspection,
        after={
            "honour": honour.certificate_number,
            "inspected_on": data.inspected_on,
            "unannounced": data.unannounced,
            "score": data.score,
            "files": [f.stored_file_id for f in inspection.files],
        },
    )
    return inspection


@dataclass
class ComplaintData:
    received_on: date
    source: str
    content: str
    verified: bool = False


def record_complaint(
    session: Session, honour: Honour, actor: User, data: ComplaintData, now=None
) -> Complaint:
    if not rules.can_manage_honours(actor):
        raise HonourError("not_allowed")
    if data.received_on > rules.shanghai_today(now):
        raise HonourError("date_in_future")
    complaint = Complaint(
        honour=honour,
        received_on=data.received_on,
        source=data.source.strip(),
        content=data.content.strip(),
        verified=data.verified,
        created_by_id=actor.id,
    )
    session.add(complaint)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="honour.record_complaint",
        obj=complaint,
        after={"honour": honour.certificate_number, "verified": data.verified},
    )
    return complaint
