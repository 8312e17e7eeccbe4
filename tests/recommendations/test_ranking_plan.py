"""A page of a channel's ranking, however deep, is found from what its order needs only (the
queue index, and the saved ranks when there are any): only the page's packets are joined to
their units, districts and industries, not every packet the OFFSET passes over."""

from __future__ import annotations

import pytest

from portal.recommendations import ranking
from portal.recommendations.models import Recommendation
from tests.page_plans import before_offset, copies
from tests.recommendations.helpers import awaiting, quality_channel


@pytest.mark.parametrize("ranked", [False, True])
def test_a_ranking_page_passes_over_the_queue_index_alone(session, ranked):
    ch = quality_channel()
    copies(session, awaiting(ch)[0])
    rec = None
    if ranked:
        rec = Recommendation(campaign=ch.campaign, organization=ch.organization, category=ch.team)
        session.add(rec)
        session.flush()
    values = {
        **ranking._params(ch.organization, ch.campaign, ch.team, rec),
        "limit": 50,
        "offset": 500,
    }
    statement = ranking._rows_statement(False, ranked)
    # The saved ranks are what a ranked list is ordered by: read with the packets, and sorted.
    # The routing's channels (campaign_channel) are looked up where the packets are found.
    read = before_offset(session, statement, "campaign_channel", values)
    assert read.tables == ({"application", "recommendation_entry"} if ranked else {"application"})
    if not ranked and session.bind.dialect.name == "sqlite":
        # Along the queue's index, stopping at the page. PostgreSQL may instead read another
        # index and sort, as its statistics of the moment say (tests/plans.py).
        read = before_offset(session, statement, "ix_application_queue", values)
        assert read.index_only and not read.sorts
