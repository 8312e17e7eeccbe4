"""The unit's list of packets, read as the columns it shows, not as objects.

The list page shows it a page at a time; the unit's home shows it whole and counts it by state.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.applications.models import Application, ApplicationState, ApplicationVersion
from portal.campaigns.models import Campaign, CampaignCategory
from portal.i18n import is_chinese, name_column
from portal.pagination import Page

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


# The list's statements are built once per process (and language) with the unit and the page
# left as parameters: building them anew cost a request about as much as running them.
_MINE = Application.organization_id == sa.bindparam("organization_id")
_COUNT = sa.select(sa.func.count()).select_from(Application).where(_MINE)


@cache
def _columns(chinese: bool) -> sa.Select:
    """The columns of ApplicationRow, newest packet first."""
    return (
        sa.select(
            Application.id,
            Campaign.year,
            name_column(CampaignCategory, chinese),
            Application.team_name,
            Application.person_name,
            Application.state,
            Application.updated_at,
        )
        .join(Campaign, Campaign.id == Application.campaign_id)
        .join(CampaignCategory, CampaignCategory.id == Application.category_id)
        .order_by(Application.id.desc())
    )


@cache
def _whole_list(chinese: bool) -> sa.Select:
    return _columns(chinese).where(_MINE)


@cache
def _one_page(chinese: bool) -> sa.Select:
    """A page of the unit's packets: found on the unit's index alone, and only they joined to
    their campaign and category, so that a far page costs what the first does."""
    ids = (
        sa.select(Application.id)
        .where(_MINE)
        .order_by(Application.id.desc())
        .offset(sa.bindparam("before", type_=sa.Integer))
        .limit(sa.bindparam("per_page", type_=sa.Integer))
    )
    return _columns(chinese).where(Application.id.in_(ids.scalar_subquery()))


def _row(columns) -> ApplicationRow:
    app_id, year, category, team_name, person_name, state, updated_at = columns
    # As Application.title: the team's name, else the person's.
    title = (team_name or person_name or "").strip()
    return ApplicationRow(app_id, year, category, title, state, updated_at)


def list_applications(session: Session, organization_id: int) -> list[ApplicationRow]:
    """The unit's whole list, in one statement."""
    found = session.execute(_whole_list(is_chinese()), {"organization_id": organization_id})
    return [_row(r) for r in found]


def application_page(session: Session, organization_id: int, page: int) -> Page[ApplicationRow]:
    """Page `page` of the unit's list and how many packets the whole list holds, in two
    statements; a page beyond the last is read as the last."""
    unit = {"organization_id": organization_id}
    total = session.scalar(_COUNT, unit) or 0
    per_page = APPLICATIONS_PER_PAGE
    page = min(max(page, 1), max(1, -(-total // per_page)))
    found = session.execute(
        _one_page(is_chinese()), unit | {"before": (page - 1) * per_page, "per_page": per_page}
    )
    return Page([_row(r) for r in found], page, per_page, page * per_page < total, total)


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
