"""The balance figures (结构平衡, portal.balance) of a campaign's candidate list, its packets
counted in the database: one GROUP BY of a few dozen groups, however many candidates."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.applications.models import Application, ApplicationState
from portal.balance import AgeBand, BalanceFigures, Group, figures_of
from portal.campaigns.models import Campaign, CategoryKind
from portal.organizations.models import District, Industry


class Place(NamedTuple):
    """A district or an industry as the balance figures sort and name it."""

    position: int
    code: str
    name_zh: str
    name_en: str


def _band():
    """portal.balance.age_band of the packet's age (an individual's, a team's average) in SQL."""
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


def _sum_if(condition, value=1):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, value), else_=0)), 0)


@cache
def _grouped() -> sa.Select:
    """The candidates counted per kind, age band, district and industry, with what the share of
    women adds up as portal.balance.group_of counts one packet; built once, its parameter:
    campaign_id."""
    team_known = sa.and_(
        Application.kind == CategoryKind.TEAM,
        Application.member_count.is_not(None),
        Application.member_count != 0,
        Application.women_count.is_not(None),
    )
    individual_known = sa.and_(
        Application.kind == CategoryKind.INDIVIDUAL, Application.female.is_not(None)
    )
    band = _band()
    places = (District.id, District.position, District.code, District.name_zh, District.name_en)
    trades = (Industry.id, Industry.position, Industry.code, Industry.name_zh, Industry.name_en)
    return (
        sa.select(
            Application.kind,
            band,
            *places,
            *trades,
            sa.func.count(),
            _sum_if(team_known, Application.member_count),
            _sum_if(team_known, Application.women_count),
            _sum_if(individual_known),
            _sum_if(sa.and_(individual_known, Application.female.is_(True))),
            _sum_if(sa.or_(team_known, individual_known)),
        )
        .outerjoin(Application.district)
        .outerjoin(Application.industry)
        .where(
            Application.campaign_id == sa.bindparam("campaign_id"),
            Application.state == ApplicationState.CANDIDATE,
        )
        .group_by(Application.kind, band, *places, *trades)
    )


def _place(id_, *named) -> Place | None:
    return Place(*named) if id_ is not None else None


def candidate_figures(session: Session, campaign: Campaign) -> BalanceFigures:
    """The balance figures of the campaign's candidates (packets in 'candidate')."""
    found = session.execute(_grouped(), {"campaign_id": campaign.id})
    return figures_of(
        Group(
            CategoryKind(r[0]),
            _place(*r[2:7]),
            _place(*r[7:12]),
            None,
            AgeBand(r[1]),
            count=r[12],
            team_members=int(r[13]),
            team_women=int(r[14]),
            individuals_known=int(r[15]),
            individual_women=int(r[16]),
            women_unknown=r[12] - int(r[17]),
        )
        for r in found
    )
