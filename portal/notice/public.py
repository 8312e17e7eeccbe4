"""The public notice (公示) as the public sees it: which notice shows, its rows, its filters.

A row is a named tuple of the columns the list prints and filters on, read in one statement:
never an ID number, phone, email, birth date or age.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CampaignCategory, CategoryKind
from portal.db import utcnow
from portal.notice.models import PublicNotice
from portal.organizations.models import District, Industry, Organization

# A published packet stays on the list when it is awarded after the notice.
PUBLISHED_STATES = (ApplicationState.CANDIDATE, ApplicationState.AWARDED)


def visible_notice(
    session: Session, year: int | None = None, now: datetime | None = None
) -> PublicNotice | None:
    """The notice the public sees: of that year, or the open or last one; never before it opens."""
    query = (
        sa.select(PublicNotice)
        .join(PublicNotice.campaign)
        .where(PublicNotice.opens_at <= (now or utcnow()))
        .options(joinedload(PublicNotice.campaign))
    )
    if year is not None:
        query = query.where(Campaign.year == year)
    return session.scalar(query.order_by(PublicNotice.opens_at.desc()).limit(1))


class PublicRow(NamedTuple):
    """One candidate as the public sees it: never an ID number, phone, email, birth date or age."""

    id: int
    name: str
    unit: str
    kind: str  # a CategoryKind value
    category_code: str
    category_zh: str
    category_en: str
    district_code: str
    district_zh: str
    district_en: str
    industry_code: str
    industry_zh: str
    industry_en: str


def _blank(column):
    return sa.func.coalesce(column, "")


# The columns of PublicRow, in its order.
_COLUMNS = (
    Application.id,
    _blank(
        sa.case(
            (CampaignCategory.kind == CategoryKind.TEAM, Application.team_name),
            else_=Application.person_name,
        )
    ),
    Organization.name,
    CampaignCategory.kind,  # a StrEnum: its members are their values
    CampaignCategory.code,
    CampaignCategory.name_zh,
    CampaignCategory.name_en,
    *(_blank(c) for c in (District.code, District.name_zh, District.name_en)),
    *(_blank(c) for c in (Industry.code, Industry.name_zh, Industry.name_en)),
)


def public_row(app: Application) -> PublicRow:
    d, i, c = app.district, app.industry, app.category
    return PublicRow(
        id=app.id,
        name=(app.team_name if c.kind is CategoryKind.TEAM else app.person_name) or "",
        unit=app.organization.name,
        kind=c.kind.value,
        category_code=c.code,
        category_zh=c.name_zh,
        category_en=c.name_en,
        district_code=d.code if d else "",
        district_zh=d.name_zh if d else "",
        district_en=d.name_en if d else "",
        industry_code=i.code if i else "",
        industry_zh=i.name_zh if i else "",
        industry_en=i.name_en if i else "",
    )


def public_rows(session: Session, notice: PublicNotice) -> list[PublicRow]:
    """The published list now: candidates (and later winners), never withdrawn ones. One query."""
    rows = session.execute(
        sa.select(*_COLUMNS)
        .join(Application.category)
        .join(Application.organization)
        .outerjoin(Application.district)
        .outerjoin(Application.industry)
        .where(
            Application.campaign_id == notice.campaign_id,
            Application.state.in_(PUBLISHED_STATES),
        )
        .order_by(Application.category_id, Application.id)
    )
    return list(map(PublicRow._make, rows))


@dataclass(frozen=True)
class Filters:
    q: str = ""
    category: str = ""
    district: str = ""
    industry: str = ""

    @property
    def active(self) -> bool:
        return bool(self.q or self.category or self.district or self.industry)


def filter_rows(rows: list[PublicRow], f: Filters) -> list[PublicRow]:
    if not f.active:
        return rows
    q = f.q.strip().casefold()
    return [
        r
        for r in rows
        if (not q or q in r.name.casefold() or q in r.unit.casefold())
        and (not f.category or r.category_code == f.category)
        and (not f.district or r.district_code == f.district)
        and (not f.industry or r.industry_code == f.industry)
    ]


def filter_options(rows: list[PublicRow]) -> dict[str, list[tuple[str, str, str]]]:
    """(code, name_zh, name_en) of each category, district and industry on the list."""
    found: dict[str, dict[str, tuple[str, str, str]]] = {
        "category": {},
        "district": {},
        "industry": {},
    }
    category, district, industry = found.values()
    for r in rows:
        category.setdefault(r.category_code, (r.category_code, r.category_zh, r.category_en))
        if r.district_code:
            district.setdefault(r.district_code, (r.district_code, r.district_zh, r.district_en))
        if r.industry_code:
            industry.setdefault(r.industry_code, (r.industry_code, r.industry_zh, r.industry_en))
    return {name: list(seen.values()) for name, seen in found.items()}
