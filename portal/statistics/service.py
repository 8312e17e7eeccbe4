"""Activity statistics tables: save, submit once before the recommendation deadline, return
for correction, and aggregate by system and by district or industry.

A first submission must reach the server before the campaign's recommendation deadline
(an instant, entered and shown in Asia/Shanghai time); a draft cannot be saved after it. A
table the office returned for correction can be corrected and submitted again after the
deadline: the office asked for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from portal import audit
from portal.campaigns.models import Campaign
from portal.campaigns.service import channel_organizations
from portal.db import utcnow
from portal.limits import REASON_CHARS
from portal.organizations.models import (
    ChannelLevel,
    District,
    Industry,
    Organization,
    OrgSystem,
)
from portal.statistics import rules
from portal.statistics.errors import InvalidFigures, StatisticsError
from portal.statistics.models import COUNT_NAMES, ActivityStatistics, StatisticsState
from portal.statistics.workflow import STATISTICS_WORKFLOW


def deadline_passed(campaign: Campaign, now: datetime | None = None) -> bool:
    return (now or utcnow()) >= campaign.recommendation_deadline


def find_table(
    session: Session, campaign: Campaign, organization: Organization
) -> ActivityStatistics | None:
    return session.scalar(
        sa.select(ActivityStatistics).where(
            ActivityStatistics.campaign_id == campaign.id,
            ActivityStatistics.organization_id == organization.id,
        )
    )


def blank_table(campaign: Campaign, organization: Organization) -> ActivityStatistics:
    """An unsaved draft to show before the first save."""
    table = ActivityStatistics(
        campaign=campaign,
        organization=organization,
        state=StatisticsState.DRAFT,
        contact_name=organization.contact_name or "",
        contact_phone=organization.contact_mobile or "",
        lock_version=0,
        **dict.fromkeys(COUNT_NAMES, 0),
    )
    return table


def figure_problems(counts: dict[str, int]) -> dict[str, str]:
    """Field name -> message key for figures that contradict each other."""
    problems = {name: "negative" for name in COUNT_NAMES if counts.get(name, 0) < 0}
    for part in ("recommended_women", "recommended_young"):
        if counts.get(part, 0) > counts.get("individuals_recommended", 0):
            problems.setdefault(part, "more_than_recommended")
    if counts.get("people_trained", 0) and not counts.get("training_sessions", 0):
        problems.setdefault("training_sessions", "trained_without_sessions")
    if counts.get("volunteers", 0) and not counts.get("volunteer_activities", 0):
        problems.setdefault("volunteer_activities", "volunteers_without_activities")
    return problems


def save_table(
    session: Session,
    actor,
    campaign: Campaign,
    *,
    counts: dict[str, int],
    contact_name: str,
    contact_phone: str,
    report_date: date | None,
    lock_version: int,
    now: datetime | None = None,
) -> ActivityStatistics:
    """Create or update the actor's organization's table: all or nothing.

    Raises StatisticsError('stale') when someone saved since the form was loaded,
    InvalidFigures listing every contradiction, 'deadline_passed' for a draft after the deadline.
    """
    if not rules.can_file_statistics(actor):
        raise StatisticsError("not_allowed")
    organization = actor.organization
    table = find_table(session, campaign, organization)
    if table is None:
        if lock_version != 0:
            raise StatisticsError("stale")
        table = blank_table(campaign, organization)
        session.add(table)
        before = None
    else:
        if table.lock_version != lock_version:
            raise StatisticsError("stale")
        if not rules.can_edit_table(actor, table):
            raise StatisticsError("already_submitted")
        before = audit.snapshot(table)
    if table.state is StatisticsState.DRAFT and deadline_passed(campaign, now):
        raise StatisticsError("deadline_passed", when=campaign.recommendation_deadline)
    problems = figure_problems(counts)
    if problems:
        raise InvalidFigures(problems)
    for name in COUNT_NAMES:
        setattr(table, name, counts.get(name, 0))
    table.contact_name = contact_name.strip()
    table.contact_phone = contact_phone.strip()
    table.report_date = report_date
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="statistics.save",
        obj=table,
        before=before,
        after=audit.snapshot(table),
    )
    return table


def missing_for_submission(table: ActivityStatistics) -> list[str]:
    """Field names that must be filled before the table is filed."""
    missing = []
    if not (table.contact_name or "").strip():
        missing.append("contact_name")
    if not (table.contact_phone or "").strip():
        missing.append("contact_phone")
    if table.report_date is None:
        missing.append("report_date")
    return missing


def _lock(session: Session, table_id: int) -> ActivityStatistics:
    table = session.execute(
        sa.select(ActivityStatistics)
        .where(ActivityStatistics.id == table_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if table is None:
        raise StatisticsError("not_found")
    return table


def submit_table(
    session: Session, table_id: int, actor, *, now: datetime | None = None
) -> ActivityStatistics:
    """File the table once; a second request finds it submitted and is refused."""
    table = _lock(session, table_id)
    if table.state is StatisticsState.SUBMITTED:
        raise StatisticsError("already_submitted")
    if not rules.can_edit_table(actor, table):
        raise StatisticsError("not_allowed")
    now = now or utcnow()
    if table.state is StatisticsState.DRAFT and deadline_passed(table.campaign, now):
        raise StatisticsError("deadline_passed", when=table.campaign.recommendation_deadline)
    missing = missing_for_submission(table)
    if missing:
        raise StatisticsError("incomplete", fields=missing)
    table.submitted_at = now
    table.submitted_by = actor
    STATISTICS_WORKFLOW.fire(session, table, StatisticsState.SUBMITTED, actor=actor, now=now)
    session.flush()
    return table


def return_table(
    session: Session, table_id: int, actor, reason: str, *, now: datetime | None = None
) -> ActivityStatistics:
    """The office sends a filed table back for correction, with the reason."""
    table = _lock(session, table_id)
    if not reason.strip():
        raise StatisticsError("reason_required")
    if len(reason.strip()) > REASON_CHARS:
        raise StatisticsError("reason_too_long")
    if not rules.can_return_table(actor, table):
        raise StatisticsError("not_submitted")
    table.returned_at = now or utcnow()
    table.return_reason = reason.strip()
    STATISTICS_WORKFLOW.fire(
        session, table, StatisticsState.RETURNED, actor=actor, reason=reason.strip()
    )
    session.flush()
    return table


# --- aggregation ----------------------------------------------------------------------------


@dataclass
class Row:
    """A line of the aggregation: a system, a district or an industry, or the total."""

    label: str
    tables: int = 0
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_NAMES, 0))

    def add(self, table: ActivityStatistics) -> None:
        self.tables += 1
        for name, value in table.counts().items():
            self.sums[name] += value


@dataclass
class Aggregation:
    campaign: Campaign
    by_system: list[Row]
    by_area: list[Row]
    total: Row
    tables: list[ActivityStatistics]  # every table of the campaign, filed or not
    not_filed: list[Organization]  # channel organizations with no filed table


def list_tables(session: Session, campaign: Campaign) -> list[ActivityStatistics]:
    return list(
        session.scalars(
            sa.select(ActivityStatistics)
            .join(Organization, Organization.id == ActivityStatistics.organization_id)
            .where(ActivityStatistics.campaign_id == campaign.id)
            .options(
                joinedload(ActivityStatistics.organization).joinedload(Organization.district),
                joinedload(ActivityStatistics.organization).joinedload(Organization.industry),
            )
            .order_by(Organization.system, Organization.name)
        )
    )


def aggregate(session: Session, campaign: Campaign, label) -> Aggregation:
    """Sums of the submitted tables by system and by district (industry channels by their
    industry). `label(obj)` names a system, district or industry in the reader's language."""
    tables = list_tables(session, campaign)
    filed = [t for t in tables if t.state is StatisticsState.SUBMITTED]
    by_system = {system: Row(str(label(system))) for system in OrgSystem}
    areas: dict[tuple, Row] = {}
    total = Row("")
    for table in filed:
        org = table.organization
        if org.system is not None:
            by_system[org.system].add(table)
        if org.channel_level is ChannelLevel.INDUSTRY and org.industry is not None:
            key = (1, org.industry.position, org.industry.id)
            name: District | Industry | None = org.industry
        elif org.district is not None:
            key = (0, org.district.position, org.district.id)
            name = org.district
        else:
            key, name = (2, 0, 0), None
        if key not in areas:
            areas[key] = Row(str(label(name)) if name is not None else "")
        areas[key].add(table)
        total.add(table)
    filed_ids = {t.organization_id for t in filed}
    channels = campaign.channels or channel_organizations(session)
    return Aggregation(
        campaign=campaign,
        by_system=list(by_system.values()),
        by_area=[areas[k] for k in sorted(areas)],
        total=total,
        tables=tables,
        not_filed=[c for c in channels if c.id not in filed_ids],
    )
