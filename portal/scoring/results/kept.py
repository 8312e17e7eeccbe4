"""Each packet's figures kept as its sheets and assignments change (results.models.PacketFigures).

Whenever a flush writes a score sheet or an assignment (a sheet locked or reopened, an
assignment withdrawn or promoted, a sheet created or removed), the figures of the packets they
belong to are counted again from their sheets, in the same transaction, by two statements
whatever the number of packets. `refresh` does the same for packets written without the ORM's
unit of work (bulk inserts).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.scoring.aggregation import TRIM_FROM
from portal.scoring.models import Assignment, AssignmentStatus, ScoreSheet, SheetStatus
from portal.scoring.results.models import PacketFigures

# What a change to a sheet or an assignment can move in the figures.
_COUNTED = {
    ScoreSheet: ("status", "total", "criteria_points", "application_id", "assignment_id"),
    Assignment: ("status", "application_id"),
}


def half_up(numerator, denominator):
    """numerator / denominator rounded half up (away from zero), in integers on every backend."""
    up = (2 * numerator + denominator) // (2 * denominator)
    down = -((-2 * numerator + denominator) // (2 * denominator))
    return sa.case((numerator >= 0, up), else_=down)


def _cents(column):
    return sa.cast(sa.func.round(column * 100), sa.Integer)


def _if_scored(n, value):
    return sa.case((n > 0, value), else_=sa.null())


@cache
def _counted() -> sa.Select:
    """The figures of the packets in the expanding parameter `ids` that have an active
    assignment: its locked sheets counted and summed up, and the sheets still awaited."""
    locked = sa.and_(
        ScoreSheet.assignment_id == Assignment.id, ScoreSheet.status == SheetStatus.LOCKED
    )
    n = sa.func.count(ScoreSheet.id)
    total = sa.func.sum(_cents(ScoreSheet.total))
    low, high = sa.func.min(_cents(ScoreSheet.total)), sa.func.max(_cents(ScoreSheet.total))
    mean = half_up(total, n)
    trimmed = sa.case((n >= TRIM_FROM, half_up(total - low - high, n - 2)), else_=mean)
    criteria = half_up(sa.func.sum(_cents(ScoreSheet.criteria_points)), n)
    return (
        sa.select(
            Assignment.application_id,
            n,
            sa.func.count() - n,
            total,
            low,
            high,
            *(_if_scored(n, value) for value in (mean, trimmed, criteria)),
        )
        .outerjoin(ScoreSheet, locked)
        .where(
            Assignment.application_id.in_(sa.bindparam("ids", expanding=True)),
            Assignment.status == AssignmentStatus.ACTIVE,
        )
        .group_by(Assignment.application_id)
    )


_COLUMNS = (
    "application_id", "sheets", "awaited", "total_cents", "lowest_cents", "highest_cents",
    "mean_cents", "trimmed_cents", "criteria_mean_cents",
)  # fmt: skip


def refresh(connection: sa.Connection | Session, application_ids: Iterable[int]) -> None:
    """Count these packets' figures again from their sheets."""
    ids = sorted(set(application_ids))
    if not ids:
        return
    table = PacketFigures.__table__
    connection.execute(table.delete().where(table.c.application_id.in_(ids)))
    connection.execute(table.insert().from_select(_COLUMNS, _counted()), {"ids": ids})


def _touched(session: Session) -> set[int]:
    """The packets whose sheets or assignments this flush writes in a way that counts."""
    found: set[int] = set()
    for obj in (*session.new, *session.deleted):
        if type(obj) in _COUNTED:
            found.add(obj.application_id)
    for obj in session.dirty:
        names = _COUNTED.get(type(obj))
        if names and session.is_modified(obj, include_collections=False):
            state = sa.inspect(obj)
            for name in names:
                history = state.attrs[name].history
                if history.has_changes():
                    found.add(obj.application_id)
                    found.update(v for v in history.deleted if name == "application_id")
    return found


@event.listens_for(Session, "after_flush")
def _recount(session: Session, _context) -> None:
    """After the flush's statements, while its collections and histories are still those of
    the flush (and every foreign key is set), count the touched packets again."""
    touched = _touched(session)
    if touched:
        refresh(session.connection(), touched)
