"""The office's expert pool (专家库) and the panels (评审组) formed from it per campaign."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from portal import audit
from portal.accounts.models import User
from portal.campaigns.models import Campaign
from portal.checks import is_mobile
from portal.errors import Invalid
from portal.organizations.models import Industry, Organization
from portal.roles import Role
from portal.scoring.errors import MESSAGES, Refused
from portal.scoring.models import Expert, Panel


@dataclass
class ExpertData:
    """What the office enters for an expert."""

    name: str
    organization_id: int | None
    industry_ids: list[int] = field(default_factory=list)
    title: str = ""
    mobile: str = ""
    email: str = ""
    active: bool = True
    user_id: int | None = None
    lock_version: int | None = None


def expert_for_user(session: Session, user) -> Expert | None:
    """The pool entry a login belongs to, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return session.scalar(sa.select(Expert).where(Expert.user_id == user.id))


def list_experts(session: Session) -> list[Expert]:
    return list(
        session.scalars(
            sa.select(Expert)
            .options(
                selectinload(Expert.organization),
                selectinload(Expert.industries),
                selectinload(Expert.user),
            )
            .order_by(Expert.active.desc(), Expert.name, Expert.id)
        )
    )


def expert_logins(session: Session, expert: Expert | None = None) -> list[User]:
    """Expert logins not yet linked to another pool entry."""
    taken = sa.select(Expert.user_id).where(Expert.user_id.is_not(None))
    if expert is not None:
        taken = taken.where(Expert.id != expert.id)
    return list(
        session.scalars(
            sa.select(User)
            .where(User.role == Role.EXPERT, User.id.not_in(taken))
            .order_by(User.name, User.id)
        )
    )


def _problems(session: Session, data: ExpertData, expert: Expert | None) -> dict:
    p: dict[str, object] = {}
    if not data.name.strip():
        p["name"] = _l("Enter the expert's name.")
    if data.organization_id is None or session.get(Organization, data.organization_id) is None:
        p["organization_id"] = _l("Choose the expert's organization.")
    if not data.industry_ids:
        p["industry_ids"] = _l("Choose at least one industry of expertise.")
    if data.mobile and not is_mobile(data.mobile):
        p["mobile"] = _l("A mobile number has 11 digits and starts with 1.")
    if data.email and "@" not in data.email:
        p["email"] = _l("Enter a valid e-mail address.")
    if data.user_id is not None:
        user = session.get(User, data.user_id)
        if user is None or user.role is not Role.EXPERT:
            p["user_id"] = MESSAGES["user_not_expert"]
        else:
            other = session.scalar(
                sa.select(Expert.id).where(
                    Expert.user_id == data.user_id,
                    Expert.id != (expert.id if expert is not None else -1),
                )
            )
            if other is not None:
                p["user_id"] = MESSAGES["user_taken"]
    return p


def _apply(session: Session, expert: Expert, data: ExpertData) -> None:
    if data.organization_id is None:  # _problems refused it
        raise ValueError("an expert's organization is required")
    expert.name = data.name.strip()
    expert.organization_id = data.organization_id
    expert.title = data.title.strip()
    expert.mobile = data.mobile.strip() or None
    expert.email = data.email.strip() or None
    expert.active = data.active
    expert.user_id = data.user_id
    expert.industries = list(
        session.scalars(sa.select(Industry).where(Industry.id.in_(data.industry_ids)))
    )


def _snapshot(expert: Expert) -> dict:
    snap = audit.snapshot(expert)
    snap["industry_ids"] = sorted(i.id for i in expert.industries)
    return snap


def create_expert(session: Session, actor, data: ExpertData) -> Expert:
    problems = _problems(session, data, None)
    if problems:
        raise Invalid(problems)
    expert = Expert()
    _apply(session, expert, data)
    session.add(expert)
    session.flush()
    audit.record(session, actor=actor, action="expert.create", obj=expert, after=_snapshot(expert))
    return expert


def update_expert(session: Session, actor, expert: Expert, data: ExpertData) -> Expert:
    """Edit a pool entry; refused as stale when someone saved it since the form was loaded."""
    if data.lock_version is not None and data.lock_version != expert.lock_version:
        raise Refused("stale_record")
    problems = _problems(session, data, expert)
    if problems:
        raise Invalid(problems)
    before = _snapshot(expert)
    _apply(session, expert, data)
    try:
        session.flush()
    except StaleDataError as exc:
        raise Refused("stale_record") from exc
    audit.record(
        session,
        actor=actor,
        action="expert.update",
        obj=expert,
        before=before,
        after=_snapshot(expert),
    )
    return expert


# --- panels -------------------------------------------------------------------------------


@dataclass
class PanelData:
    name: str
    industry_id: int | None
    member_ids: list[int] = field(default_factory=list)
    leader_id: int | None = None
    lock_version: int | None = None


def list_panels(session: Session, campaign: Campaign) -> list[Panel]:
    return list(
        session.scalars(
            sa.select(Panel)
            .where(Panel.campaign_id == campaign.id)
            .options(
                selectinload(Panel.industry),
                selectinload(Panel.leader),
                selectinload(Panel.members).selectinload(Expert.organization),
            )
            .order_by(Panel.id)
        )
    )


def panel_candidates(session: Session) -> list[Expert]:
    """Active experts with their industries, for choosing panel members."""
    return [e for e in list_experts(session) if e.active]


def _panel_problems(session: Session, campaign: Campaign, data: PanelData, panel) -> dict:
    p: dict[str, object] = {}
    if not data.name.strip():
        p["name"] = _l("Enter the panel's name.")
    if data.industry_id is None or data.industry_id not in {i.id for i in campaign.industries}:
        p["industry_id"] = _l("Choose one of the campaign's industries.")
    else:
        clash = session.scalar(
            sa.select(Panel.id).where(
                Panel.campaign_id == campaign.id,
                Panel.industry_id == data.industry_id,
                Panel.id != (panel.id if panel is not None else -1),
            )
        )
        if clash is not None:
            p["industry_id"] = MESSAGES["panel_exists"]
    if not data.member_ids:
        p["member_ids"] = _l("Choose the panel's members.")
    if data.leader_id is not None and data.leader_id not in data.member_ids:
        p["leader_id"] = MESSAGES["leader_not_member"]
    return p


def _panel_snapshot(panel: Panel) -> dict:
    snap = audit.snapshot(panel)
    snap["member_ids"] = [e.id for e in panel.members]
    return snap


def _apply_panel(session: Session, panel: Panel, data: PanelData) -> None:
    if data.industry_id is None:  # _panel_problems refused it
        raise ValueError("a panel's industry is required")
    panel.name = data.name.strip()
    panel.industry_id = data.industry_id
    panel.leader_id = data.leader_id
    panel.members = list(
        session.scalars(sa.select(Expert).where(Expert.id.in_(data.member_ids)).order_by(Expert.id))
    )


def create_panel(session: Session, actor, campaign: Campaign, data: PanelData) -> Panel:
    problems = _panel_problems(session, campaign, data, None)
    if problems:
        raise Invalid(problems)
    panel = Panel(campaign_id=campaign.id)
    _apply_panel(session, panel, data)
    session.add(panel)
    session.flush()
    audit.record(
        session, actor=actor, action="panel.create", obj=panel, after=_panel_snapshot(panel)
    )
    return panel


def update_panel(session: Session, actor, panel: Panel, data: PanelData) -> Panel:
    if data.lock_version is not None and data.lock_version != panel.lock_version:
        raise Refused("stale_record")
    problems = _panel_problems(session, panel.campaign, data, panel)
    if problems:
        raise Invalid(problems)
    before = _panel_snapshot(panel)
    _apply_panel(session, panel, data)
    try:
        session.flush()
    except StaleDataError as exc:
        raise Refused("stale_record") from exc
    audit.record(
        session,
        actor=actor,
        action="panel.update",
        obj=panel,
        before=before,
        after=_panel_snapshot(panel),
    )
    return panel
