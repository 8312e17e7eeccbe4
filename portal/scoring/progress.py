"""An expert's list of work, a campaign's scoring progress per expert and per panel, and the
reminders sent to experts with sheets outstanding."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, joinedload, selectinload

from portal import audit
from portal.applications.models import Application
from portal.campaigns.models import Campaign, CampaignCategory
from portal.i18n import is_chinese, localized_name, name_column
from portal.mail import send_mail
from portal.pagination import Page
from portal.scoring.models import (
    Assignment,
    AssignmentStatus,
    Expert,
    Panel,
    Pledge,
    ScoreSheet,
    SheetStatus,
    WithdrawalKind,
)

ASSIGNMENTS_PER_PAGE = 100


def _count_if(condition):
    return sa.func.sum(sa.case((condition, 1), else_=0))


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    """An assignment as the expert's list prints it: the packet's number, title and category
    (in the reader's language), the assignment's status and the sheet's, with its total."""

    id: int
    campaign_id: int
    application_id: int
    title: str
    category: str
    status: AssignmentStatus
    withdrawal_kind: WithdrawalKind | None
    sheet_status: SheetStatus | None
    total: Decimal | None


@dataclass
class CampaignWork:
    """One campaign on an expert's list: the pledge and how far the expert is, counted over
    the whole list, and the campaign's assignments on the page shown."""

    campaign_id: int
    year: int
    pledged: bool
    to_score: int  # active assignments
    locked: int  # active assignments whose sheet is locked
    listed: int  # rows of the list: the campaign's assignments once pledged, none before
    assignments: list[AssignmentRow] = field(default_factory=list)


# The list's statements are built once per process (and language) with the expert, and each
# campaign's slice of a page, left as parameters: building them anew cost a request about as
# much as running them.
_EXPERT: sa.BindParameter[int] = sa.bindparam("expert_id")
# The assignments on the expert's list: all its own but those given to someone else.
_LISTED = sa.and_(Assignment.expert_id == _EXPERT, Assignment.status != AssignmentStatus.RELEASED)


@cache
def _campaigns_statement() -> sa.Select:
    listed = (
        sa.select(
            Assignment.campaign_id,
            sa.func.count().label("listed"),
            _count_if(Assignment.status == AssignmentStatus.ACTIVE).label("active"),
        )
        .where(_LISTED)
        .group_by(Assignment.campaign_id)
        .subquery()
    )
    # Only an active assignment has a sheet to lock: withdrawing refuses a locked sheet and
    # deletes a draft, and a reserve gets its sheet when it is promoted (scoring.assignment).
    locked = (
        sa.select(ScoreSheet.campaign_id, sa.func.count().label("locked"))
        .where(ScoreSheet.expert_id == _EXPERT, ScoreSheet.status == SheetStatus.LOCKED)
        .group_by(ScoreSheet.campaign_id)
        .subquery()
    )
    return (
        sa.select(
            Campaign.id, Campaign.year, Pledge.id, listed.c.listed, listed.c.active, locked.c.locked
        )
        .select_from(listed)
        .join(Campaign, Campaign.id == listed.c.campaign_id)
        .outerjoin(Pledge, sa.and_(Pledge.campaign_id == Campaign.id, Pledge.expert_id == _EXPERT))
        .outerjoin(locked, locked.c.campaign_id == Campaign.id)
        .order_by(Campaign.year.desc())
    )


def expert_campaigns(session: Session, expert: Expert) -> list[CampaignWork]:
    """The campaigns of the expert's assignments, newest first, each with its pledge and its
    counts over all of them, in one statement (no assignment rows: see expert_work)."""
    rows = session.execute(_campaigns_statement(), {"expert_id": expert.id})
    return [
        CampaignWork(cid, year, pledged, int(active or 0), int(locked or 0), n if pledged else 0)
        for cid, year, pledge, n, active, locked in rows
        for pledged in [pledge is not None]
    ]


def expert_work(
    session: Session, expert: Expert, page: int = 1
) -> tuple[list[CampaignWork], Page[AssignmentRow]]:
    """Page `page` of the expert's list (a page beyond the last is read as the last), in two
    statements: the campaigns shown on it, each with its counts over the whole list and its
    rows on the page, and the page's place in the list."""
    campaigns = expert_campaigns(session, expert)
    total = sum(w.listed for w in campaigns)
    per_page = ASSIGNMENTS_PER_PAGE
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    shown, slices = _place(campaigns, page, per_page, pages)
    rows = _assignment_rows(session, expert, slices)
    by_id = {w.campaign_id: w for w in shown}
    for row in rows:
        by_id[row.campaign_id].assignments.append(row)
    return shown, Page(rows, page, per_page, page < pages, total)


def _place(
    campaigns: list[CampaignWork], page: int, per_page: int, pages: int
) -> tuple[list[CampaignWork], list[tuple[int, int, int]]]:
    """The campaigns whose cards show on the page, and the part of each one's rows the page
    lists: (campaign id, rows of it before the page, rows on it). A campaign with no rows
    (its pledge still to accept) shows on the page where its place in the list falls."""
    first = (page - 1) * per_page
    shown, slices, start = [], [], 0
    for w in campaigns:
        low, high = max(first, start), min(first + per_page, start + w.listed)
        if low < high:
            shown.append(w)
            slices.append((w.campaign_id, low - start, high - low))
        elif not w.listed and min(start // per_page + 1, pages) == page:
            shown.append(w)
        start += w.listed
    return shown, slices


@cache
def _rows_statement(slices: int, chinese: bool) -> sa.Select:
    """The rows of a page that lists `slices` campaigns, newest campaign first and by packet
    within one. Each slice's assignments are found on ix_assignment_expert_list alone, however
    far into the campaign, and only they are joined to their packet, category and sheet."""
    parts = [
        sa.select(Assignment.id)
        .where(_LISTED, Assignment.campaign_id == sa.bindparam(f"campaign_{i}"))
        .order_by(Assignment.application_id)
        .offset(sa.bindparam(f"before_{i}", type_=sa.Integer))
        .limit(sa.bindparam(f"count_{i}", type_=sa.Integer))
        .subquery()
        for i in range(slices)
    ]
    ids = sa.union_all(*(sa.select(part.c.id) for part in parts))
    return (
        sa.select(
            Assignment.id,
            Assignment.campaign_id,
            Assignment.application_id,
            Application.team_name,
            Application.person_name,
            name_column(CampaignCategory, chinese),
            Assignment.status,
            Assignment.withdrawal_kind,
            ScoreSheet.status,
            ScoreSheet.total,
        )
        .join(Application, Application.id == Assignment.application_id)
        .join(CampaignCategory, CampaignCategory.id == Application.category_id)
        .join(Campaign, Campaign.id == Assignment.campaign_id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.id.in_(ids))
        .order_by(Campaign.year.desc(), Assignment.application_id)
    )


def _assignment_rows(
    session: Session, expert: Expert, slices: list[tuple[int, int, int]]
) -> list[AssignmentRow]:
    """The rows of the page's slices of campaigns (none, without a statement, when the page
    lists no assignment)."""
    if not slices:
        return []
    values = {"expert_id": expert.id}
    for i, (campaign_id, before, count) in enumerate(slices):
        values |= {f"campaign_{i}": campaign_id, f"before_{i}": before, f"count_{i}": count}
    found = session.execute(_rows_statement(len(slices), is_chinese()), values)
    return [_assignment_row(r) for r in found]


def _assignment_row(columns) -> AssignmentRow:
    aid, cid, app_id, team_name, person_name, category, status, kind, sheet, total = columns
    # As Application.title: the team's name, else the person's.
    title = (team_name or person_name or "").strip()
    return AssignmentRow(aid, cid, app_id, title, category, status, kind, sheet, total)


@dataclass
class Progress:
    """Sheets to do and locked, per expert and per panel, of one campaign."""

    experts: list[dict]
    panels: list[dict]


def _counts(session: Session, campaign_id: int, key):
    active = Assignment.status == AssignmentStatus.ACTIVE
    locked = sa.and_(active, ScoreSheet.status == SheetStatus.LOCKED)
    return session.execute(
        sa.select(
            key,
            _count_if(active),
            _count_if(locked),
            _count_if(Assignment.status == AssignmentStatus.RESERVE),
            _count_if(Assignment.status == AssignmentStatus.WITHDRAWN),
            sa.func.count(sa.distinct(Assignment.application_id)),
        )
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.campaign_id == campaign_id)
        .group_by(key)
    ).all()


def _row(thing, counts) -> dict:
    active, locked, reserve, withdrawn, packets = (int(c or 0) for c in counts)
    return {
        "object": thing,
        "assigned": active,
        "locked": locked,
        "open": active - locked,
        "reserve": reserve,
        "withdrawn": withdrawn,
        "packets": packets,
    }


def campaign_progress(session: Session, campaign: Campaign) -> Progress:
    """Progress of every expert and every panel with assignments (a fixed number of queries)."""
    by_expert = {r[0]: r[1:] for r in _counts(session, campaign.id, Assignment.expert_id)}
    by_panel = {r[0]: r[1:] for r in _counts(session, campaign.id, Assignment.panel_id)}
    experts = session.scalars(
        sa.select(Expert)
        .where(Expert.id.in_(by_expert))
        .options(joinedload(Expert.organization))
        .order_by(Expert.name, Expert.id)
    ).all()
    panels = session.scalars(
        sa.select(Panel)
        .where(Panel.campaign_id == campaign.id)
        .options(joinedload(Panel.industry))
        .order_by(Panel.id)
    ).all()
    return Progress(
        experts=[_row(e, by_expert[e.id]) for e in experts],
        panels=[_row(p, by_panel.get(p.id, (0, 0, 0, 0, 0))) for p in panels],
    )


def remind_experts(session: Session, actor, campaign: Campaign) -> tuple[int, list[Expert]]:
    """E-mail every expert with unlocked sheets the list of what is outstanding.

    Returns how many were sent and the experts who could not be reached (no address)."""
    rows = session.scalars(
        sa.select(Assignment)
        .join(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(
            Assignment.campaign_id == campaign.id,
            Assignment.status == AssignmentStatus.ACTIVE,
            ScoreSheet.status == SheetStatus.DRAFT,
        )
        .options(
            selectinload(Assignment.expert).selectinload(Expert.user),
            selectinload(Assignment.application).selectinload(Application.category),
        )
        .order_by(Assignment.expert_id, Assignment.application_id)
    ).all()
    outstanding: dict[int, list[Assignment]] = defaultdict(list)
    for a in rows:
        outstanding[a.expert_id].append(a)
    sent, unreachable = 0, []
    for assignments in outstanding.values():
        expert = assignments[0].expert
        address = expert.email or (expert.user.email if expert.user else None)
        if not address:
            unreachable.append(expert)
            continue
        lines = [
            f"- #{a.application_id} {a.application.title}"
            f" ({localized_name(a.application.category)})"
            for a in assignments
        ]
        body = str(
            _l(
                "Dear %(name)s,\n\nThese score sheets of the %(year)s campaign are not locked yet:"
                "\n\n%(lines)s\n\nPlease score and lock them before the review deadline.",
                name=expert.name,
                year=campaign.year,
                lines="\n".join(lines),
            )
        )
        subject = str(_l("Score sheets waiting for you (%(n)s)", n=len(assignments)))
        send_mail(session, address, subject, body)
        sent += 1
    audit.record(
        session,
        actor=actor,
        action="scoring.remind",
        obj=campaign,
        after={"experts": sorted(outstanding), "sent": sent},
    )
    return sent, unreachable
