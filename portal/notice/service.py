"""Joint approval (会签), the working-day calendar and the public notice (公示).

Every change writes its audit entry; callers commit. Objections live in objections.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from portal import audit
from portal.accounts.models import User
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign
from portal.db import lock_row, utcnow
from portal.notice import rules
from portal.notice.errors import NoticeError
from portal.notice.models import (
    ApprovalRound,
    CalendarDay,
    DayKind,
    ListChange,
    PublicNotice,
    RoundCandidate,
    Signature,
    SignatureDecision,
)
from portal.notice.workdays import notice_window, shanghai_date
from portal.organizations.models import Organization, OrgKind, OrgSystem

# The four organizers, in the order the programme names them.
ORGANIZER_SYSTEMS = (OrgSystem.QUALITY, OrgSystem.UNION, OrgSystem.YOUTH, OrgSystem.WOMEN)


# --- the candidate list and the joint approval ----------------------------------------------


def candidates(session: Session, campaign: Campaign) -> list[Application]:
    """The campaign's candidate list: packets in 'candidate', with what the list shows."""
    return list(
        session.scalars(
            sa.select(Application)
            .where(
                Application.campaign_id == campaign.id,
                Application.state == ApplicationState.CANDIDATE,
            )
            .options(
                joinedload(Application.category),
                joinedload(Application.organization),
                joinedload(Application.district),
                joinedload(Application.industry),
            )
            .order_by(Application.category_id, Application.id)
        ).unique()
    )


def list_digest(ids) -> str:
    """SHA-256 of the sorted candidate ids: what a signature is bound to."""
    return hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode()).hexdigest()


def candidate_ids(session: Session, campaign: Campaign) -> list[int]:
    """Every candidate's id, in order: the list a round is sent with (reads the whole list)."""
    return list(
        session.scalars(
            sa.select(Application.id)
            .where(
                Application.campaign_id == campaign.id,
                Application.state == ApplicationState.CANDIDATE,
            )
            .order_by(Application.id)
        )
    )


def current_digest(session: Session, campaign: Campaign) -> str:
    return list_digest(candidate_ids(session, campaign))


def organizers(session: Session) -> dict[OrgSystem, Organization | None]:
    """The organizer organization of each of the four systems (the first, if several)."""
    found: dict[OrgSystem, Organization | None] = dict.fromkeys(ORGANIZER_SYSTEMS)
    rows = session.scalars(
        sa.select(Organization)
        .where(Organization.kind == OrgKind.ORGANIZER, Organization.system.is_not(None))
        .order_by(Organization.id)
    )
    for org in rows:
        if org.system is not None and found.get(org.system) is None:
            found[org.system] = org
    return found


def _latest(session: Session, campaign: Campaign) -> tuple[ApprovalRound | None, bool]:
    """The campaign's latest round with its signatures, and whether the candidate list has
    changed since it was sent (a ListChange of the round, kept by portal.notice.kept): read
    with the round each time, never from an object loaded before."""
    changed = sa.exists().where(ListChange.round_id == ApprovalRound.id)
    found = (
        session.execute(
            sa.select(ApprovalRound, changed)
            .where(ApprovalRound.campaign_id == campaign.id)
            .order_by(ApprovalRound.number.desc())
            .options(joinedload(ApprovalRound.signatures))
            .limit(1)
        )
        .unique()
        .first()
    )
    return (None, False) if found is None else (found[0], found[1])


def latest_round(session: Session, campaign: Campaign) -> ApprovalRound | None:
    return _latest(session, campaign)[0]


@dataclass(frozen=True)
class ApprovalStatus:
    """Where the joint approval of a campaign stands."""

    round: ApprovalRound | None
    changed: bool  # the candidate list is no longer the one the round was sent with
    signatures: dict[OrgSystem, Signature | None]
    organizers: dict[OrgSystem, Organization | None]

    @property
    def open(self) -> bool:
        """A round awaits answers and still matches the current list."""
        return self.round is not None and self.round.closed_at is None and not self.void

    @property
    def void(self) -> bool:
        """The list changed since the round was sent: its signatures count for nothing."""
        return self.round is not None and self.changed

    @property
    def signed_count(self) -> int:
        return sum(
            1 for s in self.signatures.values() if s and s.decision is SignatureDecision.SIGNED
        )

    @property
    def approved(self) -> bool:
        return self.open and self.signed_count == len(ORGANIZER_SYSTEMS)


def approval_status(session: Session, campaign: Campaign, *, exact: bool = False) -> ApprovalStatus:
    """The approval of the campaign's list. Whether the list changed since the latest round
    was sent is read from the changes kept as packets move (portal.notice.kept), however long
    the list; `exact`, for the acts a signature binds, the digest of the list as it now stands
    is compared with the round's too, reading every candidate."""
    rnd, changed = _latest(session, campaign)
    if exact and rnd is not None and not changed:
        changed = rnd.list_digest != current_digest(session, campaign)
    orgs = organizers(session)
    by_org = {s.organization_id: s for s in rnd.signatures} if rnd else {}
    signatures = {
        system: (by_org.get(org.id) if org is not None else None) for system, org in orgs.items()
    }
    return ApprovalStatus(rnd, changed, signatures, orgs)


def lists_awaiting_signature(session: Session, user) -> list[ApprovalStatus]:
    """The candidate lists sent for joint approval that the user's organization has not yet
    answered: the first list, or a revised one after a candidate was withdrawn."""
    if not rules.can_sign(user):
        return []
    rounds = session.scalars(
        sa.select(ApprovalRound).where(ApprovalRound.closed_at.is_(None)).order_by(ApprovalRound.id)
    )
    statuses = (approval_status(session, rnd.campaign) for rnd in rounds)
    return [
        status
        for status in statuses
        if status.open and status.signatures.get(user.organization.system) is None
    ]


def may_request_approval(session: Session, campaign: Campaign) -> bool:
    """Before the notice, the office sends the list whenever it likes; once the notice is
    published, only a list that changed since the signed one (a candidate withdrawn on an
    upheld objection) goes to the organizers again."""
    if get_notice(session, campaign) is None:
        return True
    return approval_status(session, campaign).void


def request_approval(session: Session, campaign: Campaign, actor: User) -> ApprovalRound:
    """Send the current candidate list to the four organizers; earlier signatures lapse.

    After the notice is published this is the request to sign the revised list again. The
    campaign's row is locked first, as portal.notice.kept locks it before comparing a moved
    packet with the latest round, so that a packet moved meanwhile is on the list read here
    or compared with the new round."""
    lock_row(session, Campaign, campaign.id)
    notice = get_notice(session, campaign)
    if not may_request_approval(session, campaign):
        raise NoticeError("notice_exists")
    ids = candidate_ids(session, campaign)
    if not ids:
        raise NoticeError("no_candidates")
    previous = latest_round(session, campaign)
    if previous is not None and previous.closed_at is None:
        previous.closed_at = utcnow()
        previous.closed_reason = "superseded"
    rnd = ApprovalRound(
        campaign_id=campaign.id,
        number=(previous.number + 1) if previous else 1,
        list_digest=list_digest(ids),
        candidate_ids=ids,
        opened_by_id=actor.id,
    )
    session.add(rnd)
    session.flush()
    session.execute(
        sa.insert(RoundCandidate), [{"round_id": rnd.id, "application_id": i} for i in ids]
    )
    audit.record(
        session,
        actor=actor,
        action="notice.request_approval",
        obj=rnd,
        after={
            "campaign": campaign.year,
            "number": rnd.number,
            "candidates": len(ids),
            **({"notice_revision": notice.revision} if notice is not None else {}),
        },
    )
    return rnd


def _lock_latest_round(session: Session, campaign: Campaign) -> None:
    """Lock the campaign's latest round before reading its answers, so that parallel answers
    (two users of one organizer, a signature and a send-back) are decided one after another,
    each seeing the ones committed before it (SQLite serialises writers by itself)."""
    rnd = session.scalar(
        sa.select(ApprovalRound)
        .where(ApprovalRound.campaign_id == campaign.id)
        .order_by(ApprovalRound.number.desc())
        .limit(1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if rnd is not None:
        session.expire(rnd, ["signatures"])


def _answer(
    session: Session, campaign: Campaign, actor: User, digest: str, decision, reason: str
) -> Signature:
    if not rules.can_sign(actor):
        raise NoticeError("not_organizer")
    _lock_latest_round(session, campaign)
    status = approval_status(session, campaign, exact=True)
    if actor.organization_id not in {o.id for o in status.organizers.values() if o}:
        raise NoticeError("not_organizer")
    rnd = status.round
    if rnd is None or rnd.closed_at is not None:
        raise NoticeError("no_round")
    if status.void or digest != rnd.list_digest:
        raise NoticeError("list_changed")
    if any(s.organization_id == actor.organization_id for s in rnd.signatures):
        raise NoticeError("already_decided")
    if decision is SignatureDecision.SENT_BACK and not reason.strip():
        raise NoticeError("reason_required")
    signature = Signature(
        round=rnd,
        organization_id=actor.organization_id,
        user_id=actor.id,
        decision=decision,
        list_digest=digest,
        reason=reason.strip(),
    )
    session.add(signature)
    if decision is SignatureDecision.SENT_BACK:
        rnd.closed_at = utcnow()
        rnd.closed_reason = "sent_back"
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"notice.{decision.value}",
        obj=rnd,
        after={"organization": actor.organization.name, "digest": digest},
        reason=reason.strip(),
    )
    return signature


def sign_list(session: Session, campaign: Campaign, actor: User, digest: str) -> Signature:
    """The organizer's sign-off of the list it saw (digest); refused if the list has changed."""
    return _answer(session, campaign, actor, digest, SignatureDecision.SIGNED, "")


def send_back(
    session: Session, campaign: Campaign, actor: User, digest: str, reason: str
) -> Signature:
    """Return the list to the office with a reason; the round's signatures lapse."""
    return _answer(session, campaign, actor, digest, SignatureDecision.SENT_BACK, reason)


# --- the working-day calendar -----------------------------------------------------------------


def load_marks(session: Session, start: date, end: date) -> dict[date, bool]:
    """{date: is_working_day} of the calendar's marked dates from start to end inclusive."""
    rows = session.scalars(
        sa.select(CalendarDay).where(CalendarDay.day >= start, CalendarDay.day <= end)
    )
    return {row.day: row.kind is DayKind.WORKDAY for row in rows}


def calendar_days(session: Session, year: int) -> list[CalendarDay]:
    return list(
        session.scalars(
            sa.select(CalendarDay)
            .where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
            .order_by(CalendarDay.day)
        )
    )


def mark_day(
    session: Session, actor: User, day: date, kind: DayKind, note: str = ""
) -> CalendarDay:
    row = session.get(CalendarDay, day)
    before = audit.snapshot(row) if row else None
    if row is None:
        row = CalendarDay(day=day, kind=kind, note=note)
        session.add(row)
    else:
        row.kind, row.note = kind, note
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="notice.calendar_mark",
        object_type="calendar_day",
        object_id=day.isoformat(),
        before=before,
        after=audit.snapshot(row),
    )
    return row


def unmark_day(session: Session, actor: User, day: date) -> None:
    row = session.get(CalendarDay, day)
    if row is None:
        return
    before = audit.snapshot(row)
    session.delete(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="notice.calendar_unmark",
        object_type="calendar_day",
        object_id=day.isoformat(),
        before=before,
    )


def window_for(
    session: Session, opens_at: datetime, working_days: int
) -> tuple[datetime, datetime]:
    """The notice window in the calendar: (opens_at, closes_at exclusive)."""
    start = shanghai_date(opens_at)
    # Generous bounds: n working days never span more than 3n + 30 calendar days.
    marks = load_marks(session, start, start + timedelta(days=3 * working_days + 30))
    return notice_window(opens_at, working_days, marks)


# --- the public notice ------------------------------------------------------------------------


def get_notice(session: Session, campaign: Campaign) -> PublicNotice | None:
    return session.scalar(sa.select(PublicNotice).where(PublicNotice.campaign_id == campaign.id))


def notice_closed(session: Session, campaign: Campaign, now: datetime | None = None) -> bool:
    """Whether the campaign's public notice has been opened and its window has ended."""
    notice = get_notice(session, campaign)
    return notice is not None and (now or utcnow()) >= notice.closes_at


def notice_is_open(notice: PublicNotice | None, now: datetime | None = None) -> bool:
    return notice is not None and notice.is_open(now or utcnow())


def open_notice(
    session: Session,
    campaign: Campaign,
    actor: User,
    opens_at: datetime | None = None,
    now: datetime | None = None,
) -> PublicNotice:
    """Publish the signed list for the campaign's window of working days.

    Refused unless all four organizers signed the current list in the latest round.
    """
    now = now or utcnow()
    if get_notice(session, campaign) is not None:
        raise NoticeError("notice_exists")
    status = approval_status(session, campaign, exact=True)
    if not status.approved or status.round is None:  # approved implies a round
        raise NoticeError("not_approved")
    opens_at = opens_at or now
    if opens_at < now - timedelta(minutes=5):
        raise NoticeError("opens_in_past")
    start, end = window_for(session, opens_at, campaign.notice_working_days)
    notice = PublicNotice(
        campaign_id=campaign.id,
        round_id=status.round.id,
        opens_at=start,
        closes_at=end,
        working_days=campaign.notice_working_days,
        opened_by_id=actor.id,
    )
    session.add(notice)
    session.flush()
    audit.record(
        session, actor=actor, action="notice.open", obj=notice, after=audit.snapshot(notice)
    )
    return notice


def republish(session: Session, notice: PublicNotice, now: datetime | None = None) -> None:
    """Mark the list revised: a candidate was withdrawn (the page says when)."""
    notice.revision += 1
    notice.revised_at = now or utcnow()
