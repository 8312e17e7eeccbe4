"""The balance figures (结构平衡, portal.balance) of a campaign's candidate list, its packets
counted in the database: one GROUP BY of a few dozen groups, however many candidates."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import balance_counted
from portal.applications.models import Application, ApplicationState
from portal.balance import BalanceFigures
from portal.campaigns.models import Campaign


@cache
def _grouped() -> sa.Select:
    """The candidates counted as portal.balance_counted.grouped counts them; built once, its
    parameter: campaign_id."""
    return balance_counted.grouped(
        Application.campaign_id == sa.bindparam("campaign_id"),
        Application.state == ApplicationState.CANDIDATE,
    )


def candidate_figures(session: Session, campaign: Campaign) -> BalanceFigures:
    """The balance figures of the campaign's candidates (packets in 'candidate')."""
    return balance_counted.figures(session.execute(_grouped(), {"campaign_id": campaign.id}))
