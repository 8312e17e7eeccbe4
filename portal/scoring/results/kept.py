"""The results' row of each packet kept as its sheets, assignments and state change
(results.models.PacketFigures), and their counts per category, state and scored or not
(results.models.FiguresSums).

Whenever a flush writes a score sheet or an assignment (a sheet locked or reopened, an
assignment withdrawn or promoted, a sheet created or removed) or a packet's state, category or
submission (accepted for expert review, put on or left off the candidate list, sent back), the
rows of the packets concerned are counted again from their sheets, in the same transaction, by
two statements for each thousand packets, and the counts move by the difference
(portal.kept_sums). `refresh` does the same for packets written
without the ORM's unit of work (bulk inserts).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import kept_sums
from portal.applications.models import Application
from portal.scoring.aggregation import TRIM_FROM
from portal.scoring.models import Assignment, AssignmentStatus, ScoreSheet, SheetStatus
from portal.scoring.results.figures import POOL_STATES
from portal.scoring.results.models import FiguresSums
from portal.scoring.results.models import PacketFigures as F

# What a change to a sheet, an assignment or a packet can move in the rows.
_COUNTED = {
    ScoreSheet: ("status", "total", "criteria_points", "application_id", "assignment_id"),
    Assignment: ("status", "application_id"),
    Application: ("state", "category_id", "submitted_at"),
}


def _half_up(numerator, denominator):
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
    """The rows of the packets in the expanding parameter `ids` that are in their category's
    results: their figures from the locked sheets of their active assignments, the sheets
    still awaited, and the packet's category, state and submission."""
    locked = sa.and_(
        ScoreSheet.assignment_id == Assignment.id, ScoreSheet.status == SheetStatus.LOCKED
    )
    n = sa.func.count(ScoreSheet.id)
    total = sa.func.sum(_cents(ScoreSheet.total))
    low, high = sa.func.min(_cents(ScoreSheet.total)), sa.func.max(_cents(ScoreSheet.total))
    mean = _half_up(total, n)
    trimmed = sa.case((n >= TRIM_FROM, _half_up(total - low - high, n - 2)), else_=mean)
    criteria = _half_up(sa.func.sum(_cents(ScoreSheet.criteria_points)), n)
    listed = sa.func.aggregate_strings(sa.cast(_cents(ScoreSheet.total), sa.String), ",")
    ids: sa.BindParameter[list[int]] = sa.bindparam("ids", expanding=True)
    sheets = (
        sa.select(
            Assignment.application_id.label("id"),
            n.label("n"),
            (sa.func.count() - n).label("awaited"),
            (high - low).label("spread"),
            listed.label("totals"),
            *(_if_scored(n, v).label(k) for k, v in (("mean", mean), ("trimmed", trimmed),
                                                     ("criteria", criteria))),
        )
        .outerjoin(ScoreSheet, locked)
        .where(Assignment.application_id.in_(ids), Assignment.status == AssignmentStatus.ACTIVE)
        .group_by(Assignment.application_id)
        .subquery()
    )  # fmt: skip
    scored = sa.func.coalesce(sheets.c.n, 0)
    return (
        sa.select(
            Application.id,
            Application.category_id,
            Application.state,
            Application.submitted_at,
            Application.submitted_at.is_(None),
            scored == 0,
            scored,
            sa.func.coalesce(sheets.c.awaited, 0),
            sheets.c.spread,
            sheets.c.mean,
            sheets.c.trimmed,
            sheets.c.criteria,
            sheets.c.totals,
        )
        .outerjoin(sheets, sheets.c.id == Application.id)
        .where(Application.id.in_(ids), Application.state.in_(POOL_STATES))
    )


_COLUMNS = (
    "application_id", "category_id", "state", "submitted_at", "unsubmitted", "unscored",
    "sheets", "awaited", "spread_cents", "mean_cents", "trimmed_cents", "criteria_mean_cents",
    "locked_totals",
)  # fmt: skip
# The counts kept per group (FiguresSums): the group, then what adds up besides the packets.
_KEYS, _ADDED = ("category_id", "state", "unscored"), ("awaited",)


@cache
def _insert() -> sa.Insert:
    return sa.insert(F).from_select([getattr(F, name) for name in _COLUMNS], _counted())


def refresh(connection: sa.Connection | Session, application_ids: Iterable[int]) -> None:
    """Count these packets' rows again from their sheets (and drop those of packets that are
    not, or no longer, in their category's results), and move the counts by the difference."""
    kept_sums.recount(connection, application_ids, F, FiguresSums, _insert, _KEYS, _ADDED)


def _in_results(obj, state) -> bool:
    """Whether the change can move a row: any sheet's or assignment's; a packet's only when it
    is, or was, in its category's results."""
    if not isinstance(obj, Application):
        return True
    states = {obj.state, *state.attrs.state.history.deleted}
    return any(s in POOL_STATES for s in states)


def _packet(obj) -> int:
    return obj.id if isinstance(obj, Application) else obj.application_id


def _touched(session: Session) -> set[int]:
    """The packets whose rows this flush may change: those whose sheets, assignments, state,
    category or submission it writes."""
    found: set[int] = set()
    for obj in (*session.new, *session.deleted):
        if type(obj) in _COUNTED and _in_results(obj, sa.inspect(obj)):
            found.add(_packet(obj))
    for obj in session.dirty:
        names = _COUNTED.get(type(obj))
        if not names or not session.is_modified(obj, include_collections=False):
            continue
        state = sa.inspect(obj)
        changed = [name for name in names if state.attrs[name].history.has_changes()]
        if changed and _in_results(obj, state):
            found.add(_packet(obj))
            if "application_id" in changed:
                found.update(state.attrs.application_id.history.deleted)
    return found


kept_sums.after_flush(_touched, refresh)
