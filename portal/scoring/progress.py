"""An expert's list of work, a campaign's scoring progress per expert and per panel, and the
reminders sent to experts with sheets outstanding."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, joinedload, load_only, selectinload

from portal import audit
from portal.applications.models import Application
from portal.campaigns.models import Campaign
from portal.i18n import localized_name
from portal.mail import send_mail
from portal.scoring.models import (
    Assignment,
    AssignmentStatus,
    Expert,
    Panel,
    Pledge,
    ScoreSheet,
    SheetStatus,
)


@dataclass
class CampaignWork:
    """One campaign on an expert's list: pledge, assignments, and how far they are."""

    campaign: Campaign
    pledged: bool
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def to_score(self) -> int:
        return sum(a.status is AssignmentStatus.ACTIVE for a in self.assignments)

    @property
    def locked(self) -> int:
        return sum(
            a.status is AssignmentStatus.ACTIVE and a.sheet is not None and a.sheet.locked
            for a in self.assignments
        )


def expert_work(session: Session, expert: Expert) -> list[CampaignWork]:
    """The expert's own assignments, newest campaign first (a fixed number of statements)."""
    rows = session.scalars(
        sa.select(Assignment)
        .where(
            Assignment.expert_id == expert.id,
            Assignment.status != AssignmentStatus.RELEASED,
        )
        .options(
            # Of the packet, only what the list shows: its name and its category.
            joinedload(Assignment.application).options(
                load_only(Application.team_name, Application.person_name, Application.category_id),
                joinedload(Application.category),
            ),
            joinedload(Assignment.sheet),
        )
        .order_by(Assignment.application_id)
    ).all()
    campaign_ids = {a.campaign_id for a in rows}
    campaigns = {
        c.id: c for c in session.scalars(sa.select(Campaign).where(Campaign.id.in_(campaign_ids)))
    }
    pledged = set(
        session.scalars(
            sa.select(Pledge.campaign_id).where(
                Pledge.expert_id == expert.id, Pledge.campaign_id.in_(campaign_ids)
            )
        )
    )
    work = {cid: CampaignWork(campaigns[cid], cid in pledged) for cid in campaign_ids}
    for a in rows:
        work[a.campaign_id].assignments.append(a)
    return sorted(work.values(), key=lambda w: -w.campaign.year)


@dataclass
class Progress:
    """Sheets to do and locked, per expert and per panel, of one campaign."""

    experts: list[dict]
    panels: list[dict]


def _counts(session: Session, campaign_id: int, key):
    active = Assignment.status == AssignmentStatus.ACTIVE
    locked = sa.and_(active, ScoreSheet.status == SheetStatus.LOCKED)

    def count_if(cond):
        return sa.func.sum(sa.case((cond, 1), else_=0))

    return session.execute(
        sa.select(
            key,
            count_if(active),
            count_if(locked),
            count_if(Assignment.status == AssignmentStatus.RESERVE),
            count_if(Assignment.status == AssignmentStatus.WITHDRAWN),
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
