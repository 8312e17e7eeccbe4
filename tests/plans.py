"""SQLite's plan of a statement, to guard list pages against reading every row.

PostgreSQL chooses its plan by the statistics of the moment, which on a test database are
whatever the tests before left; the plans there are checked on real volumes by hand (EXPLAIN
ANALYZE), not asserted.
"""

from __future__ import annotations

import sqlalchemy as sa


def literal_sql(session, statement, values: dict | None = None) -> str:
    """The statement's SQL for the session's database, with the values written in, for the
    database to EXPLAIN."""
    if values:
        statement = statement.params(values)
    return str(statement.compile(session.bind, compile_kwargs={"literal_binds": True}))


def sqlite_plan(session, statement, values: dict | None = None) -> str | None:
    """SQLite's plan of the statement with the values bound, as one text; None on another
    database."""
    if session.bind.dialect.name != "sqlite":
        return None
    sql = literal_sql(session, statement, values)
    return "\n".join(row[-1] for row in session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}")))
