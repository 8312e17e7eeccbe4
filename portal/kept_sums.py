"""Sums kept in the database beside rows kept per packet, so that a page counts a whole list
from a few rows (portal.recommendations.balance_kept, portal.scoring.results.kept,
portal.review.queue_kept).

A module that keeps them recounts the packets a flush touches in the same transaction
(`after_flush`): recount() deletes their rows and inserts them again from the packets as they
stand, both with RETURNING, and adds the difference to each group's sums with one upsert.
Every figure is a whole number, so the sums are exact. On PostgreSQL the packets are locked in
id order first, so that two transactions counting the same packet take turns (the second then
deletes the rows the first inserted, and moves the sums from them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.applications.models import Application
from portal.db import core_connection, id_chunks


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


def recount(
    connection: sa.Connection | Session,
    application_ids: Iterable[int],
    rows: Any,
    sums: Any,
    insert: Callable[[], sa.Insert],
    keys: tuple[str, ...],
    values: tuple[str, ...] = (),
) -> None:
    """Count these packets again, a thousand at a time: their `rows` (a model with an
    application_id) deleted and inserted again by `insert()` (an INSERT FROM SELECT of the
    expanding parameter `ids`), and `sums` moved by the difference per group of `keys`."""
    connection = core_connection(connection)
    summed = [getattr(rows, name) for name in (*keys, *values)]
    for ids in id_chunks(application_ids):
        lock_packets(connection, ids)
        old = connection.execute(
            sa.delete(rows).where(rows.application_id.in_(ids)).returning(*summed)
        ).all()
        new = connection.execute(insert().returning(*summed), {"ids": ids}).all()
        changes = differences(old, new, keys, values)
        if changes:
            connection.execute(upsert(connection.dialect.name, sums, keys, values), changes)


def after_flush(
    touched: Callable[[Session], set[int]],
    refresh: Callable[[sa.Connection | Session, Iterable[int]], None],
) -> None:
    """Keep rows in every flush: after its statements, while its histories are still those of
    the flush (and every foreign key is set), `refresh` the packets `touched` finds."""

    @event.listens_for(Session, "after_flush")
    def _recount(session: Session, _context) -> None:
        found = touched(session)
        if found:
            refresh(session.connection(), found)


def written(session: Session) -> Iterator[tuple[Any, Any, Callable[[Iterable[str]], bool]]]:
    """Each object the flush writes, with its state and a test of whether the flush writes
    any of some attributes of it (a new or deleted object: all of them)."""
    whole = [(obj, True) for obj in (*session.new, *session.deleted)]
    for obj, all_of_it in whole + [(obj, False) for obj in session.dirty]:
        state = sa.inspect(obj)

        def writes(names: Iterable[str], state=state, all_of_it=all_of_it) -> bool:
            return all_of_it or _changed(state, names)

        yield obj, state, writes


def _changed(state, names: Iterable[str]) -> bool:
    """Whether the flush changes any of these attributes of an object (its state)."""
    return any(state.attrs[name].history.has_changes() for name in names)


def packets_of(obj, state) -> set[int]:
    """The packets an object of a packet (its application_id and application) names, and named
    before the flush."""
    found = {obj.application_id, *state.attrs.application_id.history.deleted}
    found.update(a.id for a in state.attrs.application.history.deleted if a is not None)
    return found
