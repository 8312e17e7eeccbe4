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
    if not ranked:  # along the queue's index, and stops at the page
        read = before_offset(session, statement, "ix_application_queue", values)
        assert read.tables == {"application"}
        assert read.index_only and not read.sorts
    else:  # the saved ranks are what the list is ordered by: read with the packets, sorted
        read = before_offset(session, statement, "recommendation_entry", values)
        assert read.tables == {"application", "recommendation_entry"}
