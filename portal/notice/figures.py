"""The balance figures (结构平衡, portal.balance) of a campaign's candidate list, read from the
sums kept as packets change (portal.recommendations.balance_kept): a few dozen rows, however
many candidates."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import balance_counted
from portal.applications.models import ApplicationState
from portal.balance import BalanceFigures
from portal.campaigns.models import Campaign
from portal.recommendations import balance_kept
from portal.recommendations.balance_kept import BalanceSums


@cache
def _grouped() -> sa.Select:
    """The candidates' kept sums, grouped as portal.balance_counted.grouped counts the
    candidates themselves; built once, its parameter: campaign_id."""
    return balance_kept.grouped(
        BalanceSums.campaign_id == sa.bindparam("campaign_id"),
        BalanceSums.state == ApplicationState.CANDIDATE,
    )


def candidate_figures(session: Session, campaign: Campaign) -> BalanceFigures:
    """The balance figures of the campaign's candidates (packets in 'candidate')."""
    return balance_counted.figures(session.execute(_grouped(), {"campaign_id": campaign.id}))
