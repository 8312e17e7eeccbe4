"""The database's plan of a statement, to guard list pages against reading every row."""

from __future__ import annotations

import sqlalchemy as sa


def plan(session, statement, values: dict | None = None) -> str:
    """The plan of the statement with the values bound, as one text. PostgreSQL is told to
    avoid full scans: on a test's near-empty tables it would take them, as it would not on
    the tables of a running portal."""
    if values:
        statement = statement.params(values)
    sql = str(statement.compile(session.bind, compile_kwargs={"literal_binds": True}))
    if session.bind.dialect.name == "postgresql":
        session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        return "\n".join(session.execute(sa.text(f"EXPLAIN (COSTS OFF) {sql}")).scalars())
    return "\n".join(row[-1] for row in session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}")))
