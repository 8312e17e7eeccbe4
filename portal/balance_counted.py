"""portal.balance's groups counted in the database: the age band and the share of women's sums
of group_of as SQL aggregates, so that a page counts its balance figures with one GROUP BY of a
few dozen rows instead of loading every packet; shares() is what one packet adds, which
portal.recommendations.balance_kept keeps per packet and adds up as packets change. Used by
the recommendation dashboards, the results page and balance_kept; tests/balance/
test_counted.py holds them equal to group_of at every edge."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa

from portal.applications.models import Application
from portal.balance import AgeBand, BalanceFigures, Group, figures_of
from portal.campaigns.models import CategoryKind
from portal.organizations.models import District, Industry


def age_band() -> sa.ColumnElement[str]:
    """portal.balance.age_band of the packet's age (packet_age: an individual's, a team's
    average), as the AgeBand's value."""
    age = sa.case(
        (Application.kind == CategoryKind.TEAM, Application.average_age), else_=Application.age
    )
    return sa.case(
        (age.is_(None), AgeBand.UNKNOWN.value),
        (age <= 35, AgeBand.UP_TO_35.value),
        (age <= 45, AgeBand.FROM_36_TO_45.value),
        (age <= 55, AgeBand.FROM_46_TO_55.value),
        else_=AgeBand.OVER_55.value,
    )


def sum_if(condition, value: Any = 1) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, value), else_=0)), 0)


def shares() -> tuple[sa.ColumnElement[int], ...]:
    """What one packet adds to a Group, as group_of counts it, in group()'s order after the
    packet itself: the members and women of a team with both figures, an individual whose sex
    is known and a woman among them, and whether its share of women is known."""
    team_known = sa.and_(
        Application.kind == CategoryKind.TEAM,
        Application.member_count.is_not(None),
        Application.member_count != 0,
        Application.women_count.is_not(None),
    )
    individual_known = sa.and_(
        Application.kind == CategoryKind.INDIVIDUAL, Application.female.is_not(None)
    )
    return (
        sa.case((team_known, Application.member_count), else_=0).label("team_members"),
        sa.case((team_known, Application.women_count), else_=0).label("team_women"),
        sa.case((individual_known, 1), else_=0).label("individuals_known"),
        sa.case((sa.and_(individual_known, Application.female.is_(True)), 1), else_=0).label(
            "women"
        ),
        sa.case((sa.or_(team_known, individual_known), 1), else_=0).label("known"),
    )


def sums() -> tuple[sa.ColumnElement[int], ...]:
    """What a Group adds up, as group_of counts one packet, in group()'s order: the packets,
    then each of shares() summed."""
    return (
        sa.func.count().label("packets"),
        *(sa.func.coalesce(sa.func.sum(share.element), 0).label(share.name) for share in shares()),
    )


def group(kind, district, industry, system, band: str, counted: Sequence[Any]) -> Group:
    """A Group from a row's kind and band and its sums() (the database may give them as
    Decimal or int)."""
    packets, members, women, individuals, individual_women, known = counted
    return Group(
        CategoryKind(kind),
        district,
        industry,
        system,
        AgeBand(band),
        count=int(packets),
        team_members=int(members),
        team_women=int(women),
        individuals_known=int(individuals),
        individual_women=int(individual_women),
        women_unknown=int(packets) - int(known),
    )


class Place(NamedTuple):
    """A district or an industry as the balance figures sort and name it."""

    position: int
    code: str
    name_zh: str
    name_en: str


def place(id_, *named) -> Place | None:
    """A Place from a row's id and named columns; None when the row has none."""
    return Place(*named) if id_ is not None else None


def named(counted: sa.Subquery) -> sa.Select:
    """The groups of `counted` (its columns: kind, band, district id, industry id, then what
    sums() adds up) with their district's and industry's rows joined to the few groups: read
    with figures()."""
    kind, band, district_id, industry_id, *added = counted.c
    places = (District.id, District.position, District.code, District.name_zh, District.name_en)
    trades = (Industry.id, Industry.position, Industry.code, Industry.name_zh, Industry.name_en)
    return (
        sa.select(kind, band, *places, *trades, *added)
        .select_from(counted)
        .outerjoin(District, District.id == district_id)
        .outerjoin(Industry, Industry.id == industry_id)
    )


def grouped(*where: sa.ColumnElement[bool]) -> sa.Select:
    """The packets that meet `where`, counted per kind, age band, district and industry, with
    what the share of women adds up as group_of counts one packet: read with figures(). The
    packets are grouped by their district's and industry's ids, and only the few groups are
    then joined to the names."""
    band = age_band()
    keys = (Application.kind, band, Application.district_id, Application.industry_id)
    return named(sa.select(*keys, *sums()).where(*where).group_by(*keys).subquery())


def figures(found: Iterable[Sequence[Any]]) -> BalanceFigures:
    """The balance figures of the rows of a grouped() statement."""
    return figures_of(
        group(r[0], place(*r[2:7]), place(*r[7:12]), None, r[1], r[12:18]) for r in found
    )
