"""Sums kept in the database beside one row a packet, so that a page counts a whole list from a
few rows (portal.recommendations.balance_kept, portal.scoring.results.kept).

A module that keeps them deletes a packet's rows and inserts them again from the packets as
they stand, both with RETURNING, and adds the difference to each group's sums with one upsert.
Every figure is a whole number, so the sums are exact. On PostgreSQL the packets are locked in
id order first, so that two transactions counting the same packet take turns (the second then
deletes the rows the first inserted, and moves the sums from them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from portal.applications.models import Application


def lock_packets(connection: sa.Connection, ids: list[int]) -> None:
    """On PostgreSQL, wait for any other transaction counting these packets, in id order."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.select(Application.id)
            .where(Application.id.in_(ids))
            .order_by(Application.id)
            .with_for_update()
        )


def differences(old, new, keys: Sequence[str], values: Sequence[str]) -> list[dict]:
    """What each group's sums move by, from the rows taken out and put in (`keys`, then
    `values`): "packets" counts the rows, each value adds up. In the order of the keys, so that
    two transactions lock the groups in the same order; groups that do not move are left out."""
    moved: dict[tuple, list[int]] = defaultdict(lambda: [0] * (1 + len(values)))
    for rows, sign in ((old, -1), (new, 1)):
        for row in rows:
            added = moved[tuple(row[: len(keys)])]
            added[0] += sign
            for n, value in enumerate(row[len(keys) :], start=1):
                added[n] += sign * int(value)
    return [
        {**dict(zip(keys, key, strict=True)), "packets": added[0],
         **dict(zip(values, added[1:], strict=True))}
        for key, added in sorted(moved.items(), key=lambda item: tuple(map(str, item[0])))
        if any(added)
    ]  # fmt: skip


@cache
def upsert(dialect: str, model, keys: tuple[str, ...], values: tuple[str, ...]) -> sa.Insert:
    """Add a difference (from differences()) to its group's sums, or insert the group."""
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(model)
    return insert.on_conflict_do_update(
        index_elements=list(keys),
        set_={
            name: getattr(model, name) + getattr(insert.excluded, name)
            for name in ("packets", *values)
        },
    )
