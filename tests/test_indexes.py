"""The lists that grow with the years find their rows through an index on what they filter."""

from __future__ import annotations

import re

import sqlalchemy as sa

from portal.applications.models import Application, ApplicationState
from portal.review import service as review
from tests.factories import make_application, make_campaign


def _past_years(session, state: ApplicationState, years=range(2390, 2396), per_year=300) -> None:
    """Earlier years' packets in the state asked for, and the table's statistics taken.

    On PostgreSQL the planner picks among the indexes by their estimated cost; on a near-empty
    table with whatever statistics were last gathered, two indexes cost the same and either may
    win. With the years a running portal holds, the index on what the query filters is the
    cheap one, as in production.
    """
    if session.bind.dialect.name != "postgresql":
        return
    table = Application.__table__
    copied = [c.name for c in table.columns if c.name not in ("id", "campaign_id", "category_id")]
    names = ", ".join(copied)
    for year in years:
        campaign = make_campaign(year=year)
        packet = make_application(state, campaign=campaign)
        session.execute(
            sa.text(
                f"INSERT INTO application (campaign_id, category_id, {names}) "
                f"SELECT campaign_id, category_id, {names} FROM application, "
                "generate_series(1, :n) WHERE id = :id"
            ),
            {"n": per_year, "id": packet.id},
        )
    session.execute(sa.text("ANALYZE application"))


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
    _past_years(session, ApplicationState.RECOMMENDED)
    campaign = make_campaign(year=2401)
    query = sa.select(sa.func.count()).select_from(review.formal_check_query(campaign).subquery())
    assert _searches(_plan(session, query), "campaign_id", "state")


def test_expert_review_finds_a_categorys_packets_by_index(session):
    _past_years(session, ApplicationState.ACCEPTED)
    category = make_campaign(year=2402).categories[0]
    query = sa.select(Application.id).where(
        Application.category_id == category.id, Application.state == ApplicationState.ACCEPTED
    )
    assert _searches(_plan(session, query), "category_id", "state")
