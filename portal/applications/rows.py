"""The unit's list of packets, read as the columns it shows, not as objects.

The list page shows it a page at a time; the unit's home shows it whole and counts it by state.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.applications.models import Application, ApplicationState, ApplicationVersion
from portal.campaigns.models import Campaign, CampaignCategory
from portal.i18n import is_chinese
from portal.pagination import Page, paginate

APPLICATIONS_PER_PAGE = 100


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    """A packet as the list prints it: its campaign's year, its category's name in the
    reader's language, its title, its state and when it last changed."""

    id: int
    year: int
    category: str
    title: str
    state: ApplicationState
    updated_at: datetime


def _unit_query(organization_id: int) -> sa.Select:
    """The unit's packets, newest first, as the columns of ApplicationRow."""
    category = CampaignCategory.name_zh if is_chinese() else CampaignCategory.name_en
    return (
        sa.select(
            Application.id,
            Campaign.year,
            category,
            Application.team_name,
            Application.person_name,
            Application.state,
            Application.updated_at,
        )
        .join(Campaign, Campaign.id == Application.campaign_id)
        .join(CampaignCategory, CampaignCategory.id == Application.category_id)
        .where(Application.organization_id == organization_id)
        .order_by(Application.id.desc())
    )


def _row(columns) -> ApplicationRow:
    app_id, year, category, team_name, person_name, state, updated_at = columns
    # As Application.title: the team's name, else the person's.
    title = (team_name or person_name or "").strip()
    return ApplicationRow(app_id, year, category, title, state, updated_at)


def list_applications(session: Session, organization_id: int) -> list[ApplicationRow]:
    """The unit's whole list, in one statement."""
    return [_row(r) for r in session.execute(_unit_query(organization_id))]


def application_page(session: Session, organization_id: int, page: int) -> Page[ApplicationRow]:
    """Page `page` of the unit's list and how many packets the whole list holds, in two
    statements; a page beyond the last is read as the last."""
    found = paginate(session, _unit_query(organization_id), page, APPLICATIONS_PER_PAGE, count=True)
    return replace(found, items=[_row(r) for r in found.items])


@dataclass
class UnitWork:
    """The unit's packets as its home shows them: the list, how many in each state, and the
    packets returned for revision with the reviewer's reason."""

    packets: list[ApplicationRow]
    by_state: list[tuple[ApplicationState, int]]
    returned: list[tuple[ApplicationRow, str]]


def unit_work(session: Session, organization_id: int) -> UnitWork:
    """The unit's list (as its list page shows it) counted by state, in two statements."""
    packets = list_applications(session, organization_id)
    counts = Counter(a.state for a in packets)
    returned = [a for a in packets if a.state is ApplicationState.RETURNED]
    reasons: dict[int, str] = {}
    if returned:
        rows = session.execute(
            sa.select(ApplicationVersion.application_id, ApplicationVersion.return_reason)
            .where(
                ApplicationVersion.application_id.in_([a.id for a in returned]),
                ApplicationVersion.returned_at.is_not(None),
            )
            .order_by(ApplicationVersion.number)
        )
        reasons = {app_id: reason or "" for app_id, reason in rows}
    return UnitWork(
        packets,
        [(state, counts[state]) for state in ApplicationState if counts[state]],
        [(a, reasons.get(a.id, "")) for a in returned],
    )
