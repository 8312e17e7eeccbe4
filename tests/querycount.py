"""Count the SQL statements a piece of code sends, to guard list pages against N+1 queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def counting(connection) -> Iterator[list[str]]:
    """Collect every statement sent over `connection` (the test's bound connection)."""
    statements: list[str] = []

    def before_cursor_execute(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", before_cursor_execute)


def page_statements(app, client, path: str) -> int:
    """How many statements a page sends to answer one GET (which must succeed)."""
    with counting(app.extensions["portal.db"]["engine"]) as statements:
        assert client.get(path).status_code == 200
    return len(statements)
