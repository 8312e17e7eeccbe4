"""The demo's statistics tables: four submitted, one draft, summed on the office's page."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.campaigns.models import Campaign
from portal.demo import seed_demo
from portal.statistics import service
from portal.statistics.models import StatisticsState


def test_demo_tables_are_summed_by_system(session):
    seed_demo(today=date(2026, 9, 1))
    campaign = session.scalar(sa.select(Campaign).where(Campaign.year == 2026))
    agg = service.aggregate(session, campaign, lambda obj: getattr(obj, "value", obj))
    assert [t.state for t in agg.tables].count(StatisticsState.SUBMITTED) == 4
    # 黄浦区总工会 38 + 徐汇区总工会 29 + 上海铁路局工会 12 enterprises
    assert (agg.by_system[0].tables, agg.by_system[0].sums["enterprises"]) == (3, 79)
    assert agg.total.sums["people_trained"] == 860 + 410 + 620 + 1200
