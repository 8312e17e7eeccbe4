"""The lists that grow with the years find their rows through an index on what they filter."""

from __future__ import annotations

import re

import sqlalchemy as sa

from portal.applications.models import Application, ApplicationState
from portal.review import service as review
from tests.factories import make_campaign


def _plan(session, query) -> str:
    """The database's plan of the query, as one text; PostgreSQL told to avoid full scans."""
    sql = str(query.compile(session.bind, compile_kwargs={"literal_binds": True}))
    if session.bind.dialect.name == "postgresql":
        session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        rows = session.execute(sa.text(f"EXPLAIN (COSTS OFF) {sql}")).scalars()
        return "\n".join(rows)
    return "\n".join(row[-1] for row in session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}")))


def _searches(plan: str, *columns: str) -> bool:
    """Whether one index lookup of the plan compares every one of the columns."""
    for line in plan.splitlines():
        if "INDEX" in line.upper() and all(re.search(rf"\b{c}\b", line) for c in columns):
            return True
        if "Index Cond" in line and all(re.search(rf"\b{c}\b", line) for c in columns):
            return True
    return False


def test_the_formal_check_finds_a_campaigns_recommended_packets_by_index(session):
    campaign = make_campaign(year=2401)
    query = sa.select(sa.func.count()).select_from(review.formal_check_query(campaign).subquery())
    assert _searches(_plan(session, query), "campaign_id", "state")


def test_expert_review_finds_a_categorys_packets_by_index(session):
    category = make_campaign(year=2402).categories[0]
    query = sa.select(Application.id).where(
        Application.category_id == category.id, Application.state == ApplicationState.ACCEPTED
    )
    assert _searches(_plan(session, query), "category_id", "state")
