"""The honour lists, read as rows of the columns they print, not as objects: the public roll
(and what its filters offer) and the office's list. Names come in the reader's language,
chosen in the statement; dates as the ISO text the pages show.

A page is found first along ix_honour_list, the lists' order with every column their filters
test, and only its honours are joined to what the rows print (pagination.found_first): no
honour is sorted, and none passed over on the way to a deep page is read whole. The office's
list is counted, so a page nearer its end is read from the end (pagination.window). The
statements are built once per shape and language, their values bound."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.campaigns.models import Campaign, CampaignCategory, CategoryKind
from portal.honours import rules
from portal.honours.models import LIST_ORDER, Honour, HonourStatus
from portal.honours.service import list_conditions
from portal.i18n import is_chinese, name_column
from portal.organizations.models import District, Industry
from portal.pagination import Page, counted_page, found_first, next_known_page

ROLL_PAGE_SIZE = 100
MANAGE_PAGE_SIZE = 50

TODAY = sa.bindparam("today", type_=sa.Date())


def _shown(ids: sa.Select, backward: bool = False) -> sa.Subquery:
    """The ids of a page of the list `ids` selects, in the lists' order (from the end when
    `backward`), from `offset`, `limit` of them."""
    return found_first(ids, LIST_ORDER, backward=backward)


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
    values = {
        "today": today or rules.shanghai_today(),
        "year": filters.year,
        "kind": filters.kind,
        "industry": filters.industry,
        "district": filters.district,
    }
    picked = tuple(bool(values[key]) for key in _ROLL_PICKED)
    statement = _roll_statement(is_chinese(), *picked)
    found = next_known_page(session, statement, page, ROLL_PAGE_SIZE, values)
    rows = [RollRow._make((*rest, valid.isoformat())) for *rest, valid in found.items]
    return Page(rows, found.page, found.per_page, found.has_next)


_ROLL_PICKED = ("year", "kind", "industry", "district")


@functools.cache
def _roll_statement(zh: bool, year: bool, kind: bool, industry: bool, district: bool) -> sa.Select:
    """The roll's page with the filters picked: a district or an industry by its code, a
    category by its kind."""
    ids = sa.select(Honour.id).where(Honour.status_filter(HonourStatus.ACTIVE, TODAY))
    if year:
        ids = ids.where(Honour.campaign_year == sa.bindparam("year"))
    if kind:
        kinds = sa.select(CampaignCategory.id).where(CampaignCategory.kind == sa.bindparam("kind"))
        ids = ids.where(Honour.category_id.in_(kinds))
    if industry:
        ids = ids.where(Honour.industry_id == _by_code(Industry, "industry"))
    if district:
        ids = ids.where(Honour.district_id == _by_code(District, "district"))
    shown = _shown(ids)
    return (
        sa.select(
            Honour.campaign_year,
            name_column(CampaignCategory, zh),
            Honour.holder_name,
            Honour.unit_name,
            name_column(Industry, zh),
            name_column(District, zh),
            Honour.valid_until,
        )
        .select_from(shown)
        .join(Honour, Honour.id == shown.c.id)
        .join(Honour.category)
        .outerjoin(Honour.industry)
        .outerjoin(Honour.district)
        .order_by(*LIST_ORDER)
    )


def _by_code(model, key: str) -> sa.ScalarSelect:
    """The id of the district or industry whose code is the bind parameter `key`."""
    return sa.select(model.id).where(model.code == sa.bindparam(key)).scalar_subquery()


class Choice(NamedTuple):
    code: str
    name: str


def roll_choices(session: Session) -> dict[str, list]:
    """What the roll's filters offer: years with honours, districts and industries."""
    years, districts, industries = _choice_statements(is_chinese())
    return {
        "years": list(session.scalars(years)),
        "districts": list(map(Choice._make, session.execute(districts))),
        "industries": list(map(Choice._make, session.execute(industries))),
    }


@functools.cache
def _choice_statements(zh: bool) -> tuple[sa.Select, sa.Select, sa.Select]:
    """The years with honours (one step per campaign), and the districts and industries."""
    honoured = sa.exists().where(Honour.campaign_id == Campaign.id)
    years = sa.select(Campaign.year).where(honoured).order_by(Campaign.year.desc())

    def places(model) -> sa.Select:
        return sa.select(model.code, name_column(model, zh)).order_by(model.id)

    return years, places(District), places(Industry)


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
    session: Session,
    page: int,
    status: HonourStatus | None = None,
    year: int | None = None,
    expiring_in: int | None = None,
    today: date | None = None,
) -> Page[ManagedRow]:
    """Page `page` (the last when beyond it) of the office's list (service.list_conditions) as
    it prints it: counted first, with each honour's status on `today` computed in the
    statement."""
    values = {
        "today": today or rules.shanghai_today(),
        "year": year,
        "until": None if expiring_in is None else date(expiring_in, 12, 31),
    }
    shape = (status, year is not None, expiring_in is not None)
    total = session.execute(_managed_count(*shape), values).scalar_one()
    reading = counted_page(total, page, MANAGE_PAGE_SIZE)
    statement = _managed_statement(is_chinese(), reading.backward, *shape)
    found = session.execute(statement, {**values, **reading.bounds})
    return reading.of(
        [
            ManagedRow._make((*head, valid.isoformat(), HonourStatus(status)))
            for *head, valid, status in found
        ]
    )


def _managed_conditions(status: HonourStatus | None, year: bool, expiring: bool) -> list:
    return list_conditions(
        status,
        TODAY,
        sa.bindparam("year") if year else None,
        sa.bindparam("until", type_=sa.Date()) if expiring else None,
    )


@functools.cache
def _managed_count(status: HonourStatus | None, year: bool, expiring: bool) -> sa.Select:
    """The list counted: with no filter, the honours (no row read at all on SQLite)."""
    conditions = _managed_conditions(status, year, expiring)
    return sa.select(sa.func.count()).select_from(Honour).where(*conditions)


@functools.cache
def _managed_statement(
    zh: bool, backward: bool, status: HonourStatus | None, year: bool, expiring: bool
) -> sa.Select:
    ids = sa.select(Honour.id).where(*_managed_conditions(status, year, expiring))
    shown = _shown(ids, backward)
    return (
        sa.select(
            Honour.id,
            Honour.certificate_number,
            Honour.holder_name,
            Honour.unit_name,
            name_column(CampaignCategory, zh),
            Honour.valid_until,
            Honour.status_expression(TODAY),
        )
        .select_from(shown)
        .join(Honour, Honour.id == shown.c.id)
        .join(Honour.category)
        .order_by(*LIST_ORDER)
    )
