"""Assigning accepted packets to panel experts, with conflicts of interest, withdrawal and
reassignment. Every change writes an audit entry; state changes go through
ASSIGNMENT_WORKFLOW (portal.scoring.workflow)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from portal import audit
from portal.applications.models import Application, ApplicationState
from portal.db import utcnow
from portal.limits import REASON_CHARS
from portal.organizations.models import Organization, OrgSystem
from portal.review.routing import stage_organization
from portal.scoring.errors import Refused
from portal.scoring.models import (
    Assignment,
    AssignmentStatus,
    Expert,
    Panel,
    WithdrawalKind,
)
from portal.scoring.rules import conflict_of_interest
from portal.scoring.sheets import delete_draft_sheet, new_sheet
from portal.scoring.workflow import ASSIGNMENT_WORKFLOW, fire

# An active slot: scored now, or withdrawn and waiting for the office to reassign it.
HOLDS_SLOT = (AssignmentStatus.ACTIVE, AssignmentStatus.WITHDRAWN)


def packet_channels(session: Session, application: Application) -> list[Organization]:
    """The channel organizations the packet is routed to, one per system that has one."""
    found = []
    for system in OrgSystem:
        org = stage_organization(session, application, system)
        if org is not None:
            found.append(org)
    return found


def conflict(
    session: Session, expert: Expert, application: Application, channels=None
) -> str | None:
    """The reason the expert may not score the packet, or None."""
    declared = session.scalar(
        sa.select(Assignment.id).where(
            Assignment.application_id == application.id,
            Assignment.expert_id == expert.id,
            Assignment.withdrawal_kind.is_not(None),
        )
    )
    if declared is not None:
        return "conflict_declared"
    if channels is None:
        channels = packet_channels(session, application)
    return conflict_of_interest(expert.organization, application.organization, channels)


def panel_packets(session: Session, panel: Panel) -> list[Application]:
    """Packets of the panel's industry accepted into expert review, or already assigned."""
    assigned = sa.select(Assignment.application_id).where(Assignment.panel_id == panel.id)
    return list(
        session.scalars(
            sa.select(Application)
            .where(
                Application.campaign_id == panel.campaign_id,
                sa.or_(
                    sa.and_(
                        Application.industry_id == panel.industry_id,
                        Application.state == ApplicationState.ACCEPTED,
                    ),
                    Application.id.in_(assigned),
                ),
            )
            .options(selectinload(Application.organization), selectinload(Application.category))
            .order_by(Application.id)
        )
    )


def packets_without_panel(session: Session, campaign) -> list[Application]:
    """Packets of the campaign accepted into expert review whose industry has no panel in it:
    nobody can be assigned to them until the office forms one."""
    paneled = sa.select(Panel.industry_id).where(Panel.campaign_id == campaign.id)
    return list(
        session.scalars(
            sa.select(Application)
            .where(
                Application.campaign_id == campaign.id,
                Application.state == ApplicationState.ACCEPTED,
                sa.or_(Application.industry_id.is_(None), Application.industry_id.not_in(paneled)),
            )
            .options(selectinload(Application.organization), selectinload(Application.industry))
            .order_by(Application.id)
        )
    )


def panel_assignments(session: Session, panel: Panel) -> dict[int, list[Assignment]]:
    """The panel's assignments by packet id, in the order they were made."""
    rows = session.scalars(
        sa.select(Assignment)
        .where(Assignment.panel_id == panel.id)
        .options(selectinload(Assignment.expert), selectinload(Assignment.sheet))
        .order_by(Assignment.id)
    )
    by_packet: dict[int, list[Assignment]] = defaultdict(list)
    for row in rows:
        by_packet[row.application_id].append(row)
    return by_packet


@dataclass
class Load:
    active: int = 0
    reserve: int = 0


def loads(session: Session, campaign_id: int) -> dict[int, Load]:
    """Active and reserve assignments per expert in the campaign."""
    rows = session.execute(
        sa.select(Assignment.expert_id, Assignment.status, sa.func.count())
        .where(
            Assignment.campaign_id == campaign_id,
            Assignment.status.in_([AssignmentStatus.ACTIVE, AssignmentStatus.RESERVE]),
        )
        .group_by(Assignment.expert_id, Assignment.status)
    )
    result: dict[int, Load] = defaultdict(Load)
    for expert_id, status, count in rows:
        if status is AssignmentStatus.ACTIVE:
            result[expert_id].active = count
        else:
            result[expert_id].reserve = count
    return result


def _add(session: Session, panel: Panel, app: Application, expert: Expert, status) -> Assignment:
    assignment = Assignment(
        campaign_id=panel.campaign_id,
        panel=panel,
        application=app,
        expert=expert,
        status=status,
    )
    session.add(assignment)
    if status is AssignmentStatus.ACTIVE:
        session.add(new_sheet(assignment, panel.campaign))
    return assignment


@dataclass
class AutoResult:
    created: int = 0
    short: list[Application] = field(default_factory=list)  # packets left below the number


def auto_assign(session: Session, actor, panel: Panel) -> AutoResult:
    """Give each packet of the panel its experts and reserves: least-loaded first, ties by id.

    Packets keep what they have; only missing places are filled. Deterministic."""
    campaign = panel.campaign
    members = [e for e in panel.members if e.active]
    by_packet = panel_assignments(session, panel)
    load = loads(session, campaign.id)
    result = AutoResult()
    made = []
    for app in panel_packets(session, panel):
        if app.state is not ApplicationState.ACCEPTED:
            continue
        rows = by_packet.get(app.id, [])
        linked = {a.expert_id for a in rows}
        channels = packet_channels(session, app)
        eligible = [
            e
            for e in members
            if e.id not in linked
            and conflict_of_interest(e.organization, app.organization, channels) is None
        ]
        need = campaign.experts_per_packet - sum(a.status in HOLDS_SLOT for a in rows)
        chosen = sorted(eligible, key=lambda e: (load[e.id].active, e.id))[: max(need, 0)]
        for expert in chosen:
            _add(session, panel, app, expert, AssignmentStatus.ACTIVE)
            load[expert.id].active += 1
            made.append([app.id, expert.id, "active"])
        eligible = [e for e in eligible if e not in chosen]
        need_reserve = campaign.reserves_per_packet - sum(
            a.status is AssignmentStatus.RESERVE for a in rows
        )
        reserves = sorted(eligible, key=lambda e: (load[e.id].reserve, load[e.id].active, e.id))
        reserves = reserves[: max(need_reserve, 0)]
        for expert in reserves:
            _add(session, panel, app, expert, AssignmentStatus.RESERVE)
            load[expert.id].reserve += 1
            made.append([app.id, expert.id, "reserve"])
        if len(chosen) < need or len(reserves) < need_reserve:
            result.short.append(app)
    result.created = len(made)
    session.flush()
    if made:
        audit.record(
            session,
            actor=actor,
            action="scoring.auto_assign",
            obj=panel,
            after={"assignments": made},
        )
    return result


def _check_assignable(session: Session, panel: Panel, app: Application, expert: Expert) -> None:
    if app.state is not ApplicationState.ACCEPTED or app.campaign_id != panel.campaign_id:
        raise Refused("not_accepted")
    if app.industry_id != panel.industry_id:
        raise Refused("wrong_industry")
    if expert not in panel.members:
        raise Refused("not_member")
    if not expert.active:
        raise Refused("expert_inactive")
    reason = conflict(session, expert, app)
    if reason is not None:
        raise Refused(reason)


def assign_expert(
    session: Session, actor, panel: Panel, app: Application, expert: Expert, *, reserve=False
) -> Assignment:
    """The office assigns one expert (or reserve) to one packet by hand."""
    _check_assignable(session, panel, app, expert)
    linked = session.scalar(
        sa.select(Assignment.id).where(
            Assignment.application_id == app.id, Assignment.expert_id == expert.id
        )
    )
    if linked is not None:
        raise Refused("already_assigned")
    status = AssignmentStatus.RESERVE if reserve else AssignmentStatus.ACTIVE
    assignment = _add(session, panel, app, expert, status)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="assignment.create",
        obj=assignment,
        after=audit.snapshot(assignment),
    )
    return assignment


def withdraw(
    session: Session,
    actor,
    expert: Expert,
    assignment: Assignment,
    kind: WithdrawalKind,
    reason: str,
) -> Assignment:
    """The expert declares a conflict of interest or abstains; the office then reassigns."""
    if assignment.expert_id != expert.id:
        raise Refused("not_assigned")
    if assignment.status not in (AssignmentStatus.ACTIVE, AssignmentStatus.RESERVE):
        raise Refused("not_active")
    if not (reason or "").strip():
        raise Refused("reason_required")
    if len(reason.strip()) > REASON_CHARS:
        raise Refused("reason_too_long")
    sheet = assignment.sheet
    if sheet is not None and sheet.locked:
        raise Refused("sheet_locked")
    fire(
        session,
        ASSIGNMENT_WORKFLOW,
        assignment,
        AssignmentStatus.WITHDRAWN,
        actor,
        reason=reason.strip(),
        changes={
            "withdrawal_kind": WithdrawalKind(kind),
            "withdrawal_reason": reason.strip(),
            "withdrawn_at": utcnow(),
        },
    )
    if sheet is not None:
        delete_draft_sheet(session, actor, sheet)
    return assignment


def _successor(session: Session, withdrawn: Assignment, to_expert: Expert | None):
    """The reserve row to promote, or the expert to add, for a withdrawn assignment."""
    panel, app = withdrawn.panel, withdrawn.application
    rows = panel_assignments(session, panel).get(app.id, [])
    if to_expert is not None:
        _check_assignable(session, panel, app, to_expert)
        for row in rows:
            if row.expert_id == to_expert.id:
                if row.status is AssignmentStatus.RESERVE:
                    return row, None
                raise Refused("already_assigned")
        return None, to_expert
    channels = packet_channels(session, app)
    for row in rows:
        if (
            row.status is AssignmentStatus.RESERVE
            and row.expert.active
            and conflict_of_interest(row.expert.organization, app.organization, channels) is None
        ):
            return row, None
    linked = {a.expert_id for a in rows}
    load = loads(session, panel.campaign_id)
    eligible = [
        e
        for e in panel.members
        if e.active
        and e.id not in linked
        and conflict_of_interest(e.organization, app.organization, channels) is None
    ]
    if not eligible:
        raise Refused("no_eligible_expert")
    return None, min(eligible, key=lambda e: (load[e.id].active, e.id))


def reassign(
    session: Session, actor, withdrawn: Assignment, to_expert: Expert | None = None
) -> Assignment:
    """Hand a withdrawn assignment on: to the chosen expert, else the packet's first reserve,
    else the least-loaded eligible member of the panel."""
    if withdrawn.status is not AssignmentStatus.WITHDRAWN:
        raise Refused("not_withdrawn")
    reserve_row, expert = _successor(session, withdrawn, to_expert)
    if reserve_row is not None:
        fire(session, ASSIGNMENT_WORKFLOW, reserve_row, AssignmentStatus.ACTIVE, actor)
        session.add(new_sheet(reserve_row, withdrawn.panel.campaign))
        successor = reserve_row
    else:
        successor = _add(
            session, withdrawn.panel, withdrawn.application, expert, AssignmentStatus.ACTIVE
        )
    session.flush()
    fire(
        session,
        ASSIGNMENT_WORKFLOW,
        withdrawn,
        AssignmentStatus.RELEASED,
        actor,
        extra={"successor_id": successor.id, "successor_expert_id": successor.expert_id},
    )
    return successor
