"""What a paged statement reads before its OFFSET, from the database's own plan.

A page deep in a list is found by passing over every row before it: whatever the statement
reads in the part of its plan that the LIMIT and OFFSET apply to is read for each of those
rows. A deferred join keeps that part to the list's order index, and joins only the page's
rows to what the page shows. `before_offset` finds that part of the plan (SQLite's EXPLAIN
QUERY PLAN, PostgreSQL's EXPLAIN in JSON) from the node that reads a given index or table (one
the order needs, read once): on SQLite the subquery (MATERIALIZE or CO-ROUTINE) around it, or
the whole statement when it is in none; on PostgreSQL the Limit node above it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import sqlalchemy as sa

from tests.plans import literal_sql


@dataclass(frozen=True)
class BeforeOffset:
    """The part of a plan the OFFSET passes over rows of."""

    tables: frozenset[str]  # joined row by row, the table of the node found included
    filters: frozenset[str]  # read by subqueries of the conditions (EXISTS, IN, scalar)
    index_only: bool  # the node found reads an index alone
    sorts: bool  # rows sorted there (the order not read along the index)


def before_offset(session, statement, anchor: str, values: dict | None = None) -> BeforeOffset:
    """What `statement` reads before its OFFSET, found from the plan's read of `anchor`, an
    index or a table it reads once."""
    sql = literal_sql(session, statement, values)
    if session.bind.dialect.name == "postgresql":
        session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        found = session.execute(sa.text(f"EXPLAIN (COSTS OFF, FORMAT JSON) {sql}")).scalar()
        plan = found if isinstance(found, list) else json.loads(found)
        return _postgresql(plan[0]["Plan"], anchor)
    rows = session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}")).all()
    return _sqlite([(r[0], r[1], r[-1]) for r in rows], anchor)


_SUBQUERY = ("MATERIALIZE", "CO-ROUTINE")
_CONDITION = re.compile(r"^(CORRELATED )?(SCALAR|LIST) SUBQUERY|^EXISTS")
_READ = re.compile(r"^(?:SEARCH|SCAN) (\w+)")


def _sqlite(nodes: list[tuple[int, int, str]], anchor: str) -> BeforeOffset:
    parent = {node: up for node, up, _ in nodes}
    detail = {node: text for node, _, text in nodes}
    reading = next(node for node, _, text in nodes if re.search(rf"\b{anchor}\b", text))
    scope = parent[reading]
    while scope and not detail[scope].startswith(_SUBQUERY):
        scope = parent[scope]

    def under(node: int, top: int) -> bool:
        while node and node != top:
            node = parent[node]
        return node == top

    def in_condition(node: int) -> bool:
        node = parent[node]
        while node and node != scope:
            if _CONDITION.match(detail[node]):
                return True
            node = parent[node]
        return False

    inside = [n for n, _, _ in nodes if n != scope and under(n, scope)]
    tables, filters = set(), set()
    for node in inside:
        read = _READ.match(detail[node])
        if read:
            (filters if in_condition(node) else tables).add(read.group(1))
    return BeforeOffset(
        frozenset(tables),
        frozenset(filters),
        "COVERING INDEX" in detail[reading],
        any("TEMP B-TREE FOR ORDER BY" in detail[n] for n in inside),
    )


def _postgresql(plan: dict, anchor: str) -> BeforeOffset:
    def path_to(node: dict) -> list[dict] | None:
        if anchor in (node.get("Index Name"), node.get("Relation Name")):
            return [node]
        for child in node.get("Plans", ()):
            found = path_to(child)
            if found:
                return [node, *found]
        return None

    path = path_to(plan)
    assert path is not None, f"{anchor} is not read: {json.dumps(plan, indent=1)}"
    limit = next(n for n in reversed(path) if n["Node Type"] == "Limit")
    tables, filters, sorts = set(), set(), False

    def walk(node: dict, condition: bool) -> None:
        nonlocal sorts
        if "Relation Name" in node:
            (filters if condition else tables).add(node["Relation Name"])
        sorts = sorts or (node["Node Type"] in ("Sort", "Incremental Sort") and not condition)
        for child in node.get("Plans", ()):
            sub = child.get("Parent Relationship") in ("SubPlan", "InitPlan")
            walk(child, condition or sub)

    walk(limit, False)
    return BeforeOffset(
        frozenset(tables), frozenset(filters), path[-1]["Node Type"] == "Index Only Scan", sorts
    )


def copies(session, packet, n: int = 2000) -> None:
    """On PostgreSQL, n copies of the packet's row and the table's statistics taken: with a
    handful of rows and whatever statistics the tests before left, the planner may pick any
    plan, as it would not on the volumes the deep pages are about. SQLite plans by the
    indexes alone."""
    if session.bind.dialect.name != "postgresql":
        return
    from portal.applications.models import Application

    names = ", ".join(c.name for c in Application.__table__.columns if c.name != "id")
    session.execute(
        sa.text(
            f"INSERT INTO application ({names}) SELECT {names} FROM application, "
            "generate_series(1, :n) WHERE id = :id"
        ),
        {"n": n, "id": packet.id},
    )
    session.execute(sa.text("ANALYZE application"))
