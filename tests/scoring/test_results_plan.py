"""A page of the results, however deep, is found along the order's index alone: only the
page's packets are joined to their moves, units, districts and industries, not every packet
the OFFSET passes over on the way to it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.applications.models import Application, ApplicationState
from portal.scoring.results import kept, listing
from tests.factories import make_application, make_campaign
from tests.page_plans import before_offset, copies
from tests.plans import literal_sql


@pytest.mark.parametrize("backward", [False, True])
@pytest.mark.parametrize("method", ["mean", "trimmed"])
def test_a_results_page_passes_over_the_order_index_alone(session, method, backward):
    packet = make_application(ApplicationState.ACCEPTED, campaign=make_campaign(year=2403))
    copies(session, packet)
    ids = session.scalars(
        sa.select(Application.id).where(Application.category_id == packet.category_id)
    ).all()
    kept.refresh(session, ids)
    if session.bind.dialect.name == "postgresql":
        session.execute(sa.text("ANALYZE packet_figures"))
    values = {"category_id": packet.category_id, "start": 500, "count": 51, "top": 550,
              "scored": 0}  # fmt: skip
    statement = listing._rows_at(method == "trimmed", "start", "count", backward, ranked=True)
    read = before_offset(session, statement, f"ix_packet_figures_{method}_order", values)
    assert read.tables == {"packet_figures"}
    assert read.index_only and not read.filters and not read.sorts


def test_the_counts_read_the_kept_sums_not_the_whole_list(session):
    """The list's counts come from its few kept rows per state; of the packets' rows only the
    flagged ones (a range of the spread index) are read."""
    packet = make_application(ApplicationState.ACCEPTED, campaign=make_campaign(year=2404))
    values = {"category_id": packet.category_id, "threshold": 2000}
    sql = literal_sql(session, listing._counts(), values)
    if session.bind.dialect.name == "postgresql":
        plan = session.execute(sa.text(f"EXPLAIN (COSTS OFF) {sql}")).scalars().all()
        assert any("packet_figures_sums" in line for line in plan)
        return
    reads = [r[-1] for r in session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}"))]
    assert any(d.startswith("SEARCH packet_figures_sums") for d in reads)
    rows = [d for d in reads if d.startswith("SEARCH packet_figures ")]
    assert all("COVERING INDEX" in d for d in rows)
    assert rows and all("ix_packet_figures_spread (category_id=? AND spread_cents>?)" in d
                        for d in rows)  # fmt: skip
