"""The public notice (公示) as the public sees it: which notice shows, its rows, its filters.

A row is a named tuple of the columns the list prints and filters on, read in one statement:
never an ID number, phone, email, birth date or age. The page shows PAGE_SIZE rows at a time;
what it says of the whole list (how many, how many match, what the filters offer) is counted
in the database per category, district and industry, however long the list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CampaignCategory, CategoryKind
from portal.db import utcnow
from portal.notice.models import PublicNotice
from portal.organizations.models import District, Industry, Organization
from portal.pagination import Page, counted_page, found_first
from portal.recommendations.balance_kept import BalanceSums

# A published packet stays on the list when it is awarded after the notice.
PUBLISHED_STATES = (ApplicationState.CANDIDATE, ApplicationState.AWARDED)
# Rows on a page of the public list: a year's notice (about a hundred teams and a hundred
# individuals) is one page.
PAGE_SIZE = 200


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


# The candidate's name as the list prints it: a team's or a person's (the packet's kind is its
# category's: the foreign key on both says so).
_NAME = _blank(
    sa.case(
        (Application.kind == CategoryKind.TEAM, Application.team_name),
        else_=Application.person_name,
    )
)

# The columns of PublicRow, in its order.
_COLUMNS = (
    Application.id,
    _NAME,
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


def _published() -> sa.ColumnElement[bool]:
    """The notice's list: its campaign's candidates (and later winners), never withdrawn ones;
    its parameter: campaign_id."""
    return sa.and_(
        Application.campaign_id == sa.bindparam("campaign_id"),
        Application.state.in_(PUBLISHED_STATES),
    )


def _listed(query: sa.Select) -> sa.Select:
    """The query joined to what a row shows, in the list's order."""
    return (
        query.join(Application.category)
        .join(Application.organization)
        .outerjoin(Application.district)
        .outerjoin(Application.industry)
        .where(_published())
        .order_by(Application.category_id, Application.id)
    )


@cache
def _all_rows() -> sa.Select:
    return _listed(sa.select(*_COLUMNS))


def public_rows(session: Session, notice: PublicNotice) -> list[PublicRow]:
    """The whole published list now (the Word copy, the API). One query."""
    rows = session.execute(_all_rows(), {"campaign_id": notice.campaign_id})
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


def filter_options(rows: Iterable[Any]) -> dict[str, list[tuple[str, str, str]]]:
    """(code, name_zh, name_en) of each category, district and industry on the list, in the
    order they first come in `rows` (PublicRows, or the counted groups of the list)."""
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


# --- a page of the list ----------------------------------------------------------------------

# The filters that pick one category, district or industry, as the page's statement names them.
_PICKED = ("category_id", "district_id", "industry_id")


def _like(text: str) -> str:
    """A LIKE pattern that finds `text` anywhere, its wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _searched() -> sa.ColumnElement[bool]:
    """The name or the unit holds the search text, in any case; its parameter: pattern."""
    pattern = sa.bindparam("pattern", type_=sa.String)
    return sa.or_(_NAME.ilike(pattern, escape="\\"), Organization.name.ilike(pattern, escape="\\"))


def _counted_groups(searched: bool) -> sa.Subquery:
    """The list counted per state, category, district and industry, with each group's first
    id; `matched` counts those the search finds. A search reads every packet's names; the
    whole list's groups are the kept balance sums (portal.recommendations.balance_kept, a few
    rows per group however long the list), and each group's first id one step along
    ix_application_notice_groups."""
    if searched:
        counting = (
            sa.select(
                Application.state,
                *(getattr(Application, key) for key in _PICKED),
                sa.func.count().label("packets"),
                sa.func.count(sa.case((_searched(), 1))).label("matched"),
                sa.func.min(Application.id).label("first"),
            )
            .join(Application.organization)
            .where(_published())
        )
        # by state first, in the order of ix_application_notice_groups: no sorting
        grouped = (Application.state, *(getattr(Application, key) for key in _PICKED))
        return counting.group_by(*grouped).subquery()
    S = BalanceSums
    keys = (S.state, S.category_id, sa.func.nullif(S.district_id, 0).label("district_id"),
            sa.func.nullif(S.industry_id, 0).label("industry_id"))  # fmt: skip
    packets = sa.func.sum(S.packets)
    kept = (
        sa.select(*keys, packets.label("packets"))
        .where(S.campaign_id == sa.bindparam("campaign_id"), S.state.in_(PUBLISHED_STATES))
        .group_by(*keys)
        .having(packets > 0)
        .subquery()
    )
    return sa.select(
        *kept.c, kept.c.packets.label("matched"), _first_id(kept).label("first")
    ).subquery()


def _first_id(group: sa.Subquery) -> sa.ColumnElement[int]:
    """The group's least packet id, found along ix_application_notice_groups: its district
    and industry compared as the index holds them (a missing one is NULL there, and NULL
    equals nothing), so one of four lookups."""

    def lookup(no_district: bool, no_industry: bool) -> sa.ScalarSelect[int]:
        place = (
            Application.district_id.is_(None) if no_district
            else Application.district_id == group.c.district_id,
            Application.industry_id.is_(None) if no_industry
            else Application.industry_id == group.c.industry_id,
        )  # fmt: skip
        return (
            sa.select(sa.func.min(Application.id))
            .where(
                Application.campaign_id == sa.bindparam("campaign_id"),
                Application.state == group.c.state,
                Application.category_id == group.c.category_id,
                *place,
            )
            .scalar_subquery()
        )

    no_district, no_industry = group.c.district_id.is_(None), group.c.industry_id.is_(None)
    return sa.case(
        (sa.and_(no_district, no_industry), lookup(True, True)),
        (no_district, lookup(True, False)),
        (no_industry, lookup(False, True)),
        else_=lookup(False, False),
    )


@cache
def _groups(searched: bool) -> sa.Select:
    """The list counted per state, category, district and industry (_counted_groups), with the
    names the filters offer. Built once per shape; a few dozen rows however long the list."""
    counted = _counted_groups(searched)
    return (
        sa.select(
            *counted.c,
            CampaignCategory.code.label("category_code"),
            CampaignCategory.name_zh.label("category_zh"),
            CampaignCategory.name_en.label("category_en"),
            *(
                _blank(getattr(model, column)).label(f"{prefix}_{label}")
                for model, prefix in ((District, "district"), (Industry, "industry"))
                for column, label in (("code", "code"), ("name_zh", "zh"), ("name_en", "en"))
            ),
        )
        .join(CampaignCategory, CampaignCategory.id == counted.c.category_id)
        .outerjoin(District, District.id == counted.c.district_id)
        .outerjoin(Industry, Industry.id == counted.c.industry_id)
    )


@cache
def _page(
    category: bool, district: bool, industry: bool, searched: bool, one_state: bool, backward: bool
) -> sa.Select:
    """A page's statement for the filters given, built once per shape; its parameters:
    campaign_id, state (of a list in one state), the picked ids, pattern, limit and offset.
    The page's ids are found first in ix_application_notice_list alone (a search also reads
    the names): for a list in one state, as the notice's list nearly always is, in the list's
    order, reading no further than the page. Only the rows shown are then joined to what they
    print. A page nearer the end is read from the end (`backward`: pagination.window)."""
    if one_state:
        listed = sa.and_(
            Application.campaign_id == sa.bindparam("campaign_id"),
            Application.state == sa.bindparam("state"),
        )
    else:
        listed = _published()
    ids = sa.select(Application.id).where(listed)
    for picked, key in zip((category, district, industry), _PICKED, strict=True):
        if picked:
            ids = ids.where(getattr(Application, key) == sa.bindparam(key))
    if searched:
        ids = ids.join(Application.organization).where(_searched())
    return joined_page(ids, *_COLUMNS, backward=backward)


def joined_page(ids: sa.Select, *columns: Any, backward: bool = False) -> sa.Select:
    """A page of a list of packets: the ids `ids` selects, read in the list's order (category,
    then id) from `offset`, `limit` of them (bind parameters; counted from the end when
    `backward`: pagination.window), and only those joined to the `columns` the page prints (of
    the packet, its category, unit, district and industry)."""
    shown = found_first(ids, (Application.category_id, Application.id), backward=backward)
    return (
        sa.select(*columns)
        .select_from(shown)
        .join(Application, Application.id == shown.c.id)
        .join(Application.category)
        .join(Application.organization)
        .outerjoin(Application.district)
        .outerjoin(Application.industry)
        .order_by(Application.category_id, Application.id)
    )


class Listing(NamedTuple):
    """A page of the public list, and what the page says of the whole list."""

    rows: Page[PublicRow]  # its total: the candidates the search and filters find
    total: int  # the candidates on the list
    options: dict[str, list[tuple[str, str, str]]]


def public_page(session: Session, notice: PublicNotice, filters: Filters, page: int) -> Listing:
    """Page `page` (a page beyond the last is the last) of the list as filtered, in the list's
    order, and its counts and filter choices of the whole list: two statements."""
    values: dict[str, Any] = {"campaign_id": notice.campaign_id}
    q = filters.q.strip()
    if q:
        values["pattern"] = _like(q)
    counted = session.execute(_groups(bool(q)), values).all()
    groups = sorted(counted, key=lambda g: (g.category_id, g.first))  # as they first appear
    picked = _picked(groups, filters)
    shown = 0 if picked is None else sum(g.matched for g in groups if _in(g, picked))
    reading = counted_page(shown, page, PAGE_SIZE)
    rows: list[PublicRow] = []
    if picked is not None and shown:
        states = {g.state for g in groups}
        shape = (*(key in picked for key in _PICKED), bool(q), len(states) == 1, reading.backward)
        values.update(picked, **reading.bounds, state=min(states))
        rows = list(map(PublicRow._make, session.execute(_page(*shape), values)))
    found = reading.of(rows)
    return Listing(found, sum(g.packets for g in groups), filter_options(groups))


def _picked(groups, filters: Filters) -> dict[str, int] | None:
    """The ids of the category, district and industry the filters pick by code, or None when
    one of them is on no row of the list."""
    picked = {}
    codes = (filters.category, filters.district, filters.industry)
    for key, code in zip(_PICKED, codes, strict=True):
        if code:
            at = f"{key.removesuffix('_id')}_code"
            found = next((getattr(g, key) for g in groups if getattr(g, at) == code), None)
            if found is None:
                return None
            picked[key] = found
    return picked


def _in(group, picked: dict[str, int]) -> bool:
    return all(getattr(group, key) == value for key, value in picked.items())
