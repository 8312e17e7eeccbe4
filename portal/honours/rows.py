"""The honour lists, read as rows of the columns they print, not as objects: the public roll
(and what its filters offer) and the office's list. Names come in the reader's language,
chosen in the statement; dates as the ISO text the pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.campaigns.models import Campaign, CampaignCategory, CategoryKind
from portal.honours import rules
from portal.honours.models import Honour, HonourStatus
from portal.i18n import is_chinese, name_column
from portal.organizations.models import District, Industry
from portal.pagination import Page, paginate

ROLL_PAGE_SIZE = 100
MANAGE_PAGE_SIZE = 50


# --- the public roll -----------------------------------------------------------------------


@dataclass(frozen=True)
class RollFilters:
    year: int | None = None
    kind: CategoryKind | None = None
    industry: str | None = None  # code
    district: str | None = None  # code


class RollRow(NamedTuple):
    year: int
    category: str
    holder: str
    unit: str
    industry: str
    district: str
    valid_until: str  # ISO date


def honour_roll(
    session: Session, filters: RollFilters, page: int = 1, today: date | None = None
) -> Page[RollRow]:
    """A page of the current holders (active today), newest campaign first: one statement."""
    today, zh = today or rules.shanghai_today(), is_chinese()
    query: sa.Select = (
        sa.select(
            Campaign.year,
            name_column(CampaignCategory, zh),
            Honour.holder_name,
            Honour.unit_name,
            name_column(Industry, zh),
            name_column(District, zh),
            Honour.valid_until,
        )
        .join(Honour.campaign)
        .join(Honour.category)
        .outerjoin(Honour.industry)
        .outerjoin(Honour.district)
        .where(Honour.status_filter(HonourStatus.ACTIVE, today))
    )
    if filters.year:
        query = query.where(Campaign.year == filters.year)
    if filters.kind:
        query = query.where(CampaignCategory.kind == filters.kind)
    if filters.industry:
        query = query.where(Industry.code == filters.industry)
    if filters.district:
        query = query.where(District.code == filters.district)
    query = query.order_by(Campaign.year.desc(), Honour.certificate_number)
    found = paginate(session, query, page, ROLL_PAGE_SIZE)
    rows = [RollRow._make((*rest, valid.isoformat())) for *rest, valid in found.items]
    return Page(rows, found.page, found.per_page, found.has_next)


class Choice(NamedTuple):
    code: str
    name: str


def roll_choices(session: Session) -> dict[str, list]:
    """What the roll's filters offer: years with honours, districts and industries."""
    years = session.scalars(
        sa.select(Campaign.year)
        .where(Campaign.id.in_(sa.select(Honour.campaign_id)))
        .order_by(Campaign.year.desc())
    ).all()

    zh = is_chinese()

    def choices(model) -> list[Choice]:
        found = session.execute(sa.select(model.code, name_column(model, zh)).order_by(model.id))
        return list(map(Choice._make, found))

    return {"years": list(years), "districts": choices(District), "industries": choices(Industry)}


# --- the office's list ---------------------------------------------------------------------


class ManagedRow(NamedTuple):
    id: int
    certificate_number: str
    holder: str
    unit: str
    category: str
    valid_until: str  # ISO date
    status: HonourStatus


def managed_honours(
    session: Session, query: sa.Select, page: int, today: date | None = None
) -> Page[ManagedRow]:
    """A page of service.list_honours's query as the office's list prints it: counted, with
    each honour's status on `today` computed in the statement."""
    today = today or rules.shanghai_today()
    columns = query.with_only_columns(
        Honour.id,
        Honour.certificate_number,
        Honour.holder_name,
        Honour.unit_name,
        name_column(CampaignCategory, is_chinese()),
        Honour.valid_until,
        Honour.status_expression(today),
        maintain_column_froms=True,
    ).join(Honour.category)
    found = paginate(session, columns, page, MANAGE_PAGE_SIZE, count=True)
    rows = [
        ManagedRow._make((*head, valid.isoformat(), HonourStatus(status)))
        for *head, valid, status in found.items
    ]
    return Page(rows, found.page, found.per_page, found.has_next, found.total)
