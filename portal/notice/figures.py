"""The balance figures (结构平衡, portal.balance) of a campaign's candidate list, its packets
counted in the database: one GROUP BY of a few dozen groups, however many candidates."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import balance_counted
from portal.applications.models import Application, ApplicationState
from portal.balance import BalanceFigures, figures_of
from portal.campaigns.models import Campaign
from portal.organizations.models import District, Industry


class Place(NamedTuple):
    """A district or an industry as the balance figures sort and name it."""

    position: int
    code: str
    name_zh: str
    name_en: str


@cache
def _grouped() -> sa.Select:
    """The candidates counted per kind, age band, district and industry, with what the share of
    women adds up as portal.balance.group_of counts one packet; built once, its parameter:
    campaign_id."""
    band = balance_counted.age_band()
    places = (District.id, District.position, District.code, District.name_zh, District.name_en)
    trades = (Industry.id, Industry.position, Industry.code, Industry.name_zh, Industry.name_en)
    return (
        sa.select(
            Application.kind,
            band,
            *places,
            *trades,
            *balance_counted.sums(),
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
        balance_counted.group(r[0], _place(*r[2:7]), _place(*r[7:12]), None, r[1], r[12:18])
        for r in found
    )
