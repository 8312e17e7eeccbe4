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


@pytest.mark.parametrize("method", ["mean", "trimmed"])
def test_a_results_page_passes_over_the_order_index_alone(session, method):
    packet = make_application(ApplicationState.ACCEPTED, campaign=make_campaign(year=2403))
    copies(session, packet)
    ids = session.scalars(
        sa.select(Application.id).where(Application.category_id == packet.category_id)
    ).all()
    kept.refresh(session, ids)
    if session.bind.dialect.name == "postgresql":
        session.execute(sa.text("ANALYZE packet_figures"))
    values = {"category_id": packet.category_id, "start": 500, "count": 51}
    statement = listing._rows_at(method == "trimmed", "start", "count")
    read = before_offset(session, statement, f"ix_packet_figures_{method}_order", values)
    assert read.tables == {"packet_figures"}
    assert read.index_only and not read.filters and not read.sorts
