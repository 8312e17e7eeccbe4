"""One page of a list query: its rows and what the page links need, for every paged list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """The rows of page `page` (from 1) of a list, `per_page` to a page.

    `total` is the number of rows of the whole list when it was counted, else None; lists
    that are not counted (the audit trail, the honour roll) only know whether a next page exists.
    """

    items: list[T]
    page: int
    per_page: int
    has_next: bool
    total: int | None = None

    @property
    def pages(self) -> int:
        """How many pages the counted list has (at least one); for an uncounted list, so far."""
        if self.total is None:
            return self.page + int(self.has_next)
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1


class Reading(NamedTuple):
    """How to read page `page` of a counted list of `total` rows (counted_page())."""

    page: int  # from 1, within the list's pages
    per_page: int
    total: int
    backward: bool  # from the list's end (window())
    limit: int
    offset: int

    @property
    def bounds(self) -> dict[str, int]:
        """The `limit` and `offset` bind parameters of a statement paged by found_first."""
        return {"limit": self.limit, "offset": self.offset}

    def of(self, rows: list[T]) -> Page[T]:
        """The page of these rows, read as self says."""
        return Page(rows, self.page, self.per_page, self.page * self.per_page < self.total,
                    self.total)  # fmt: skip


def counted_page(total: int, page: int, per_page: int) -> Reading:
    """How to read page `page` (from 1) of a counted list of `total` rows: a page beyond the
    last is the last, and a page nearer the end is read from the end (window())."""
    page = min(max(page, 1), max(1, -(-total // per_page)))
    return Reading(page, per_page, total, *window(total, per_page, (page - 1) * per_page))


def count_rows(session: Session, query: sa.Select[Any]) -> int:
    """How many rows the list query gives: the count a list page shows, and a home page too."""
    return (
        session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    )


def paginate(
    session: Session,
    query: sa.Select[Any],
    page: int,
    per_page: int,
    *,
    count: bool = False,
    options: Sequence[ORMOption] = (),
) -> Page[Any]:
    """Page `page` of the ordered query, in one statement, or two when `count` is asked.

    With `count`, the rows are counted first and a page beyond the last is read as the last.
    Without it one extra row is read to learn whether a next page exists. A query of one
    entity or column gives its values; a query of several gives row tuples. `options` (eager
    loads) apply to the page's rows only, never to the count.
    """
    if count:
        reading = counted_page(count_rows(session, query), page, per_page)
        return reading.of(_rows(session, query.options(*options), reading.page, per_page, per_page))
    page = max(page, 1)
    rows = _rows(session, query.options(*options), page, per_page, per_page + 1)
    return Page(rows[:per_page], page, per_page, len(rows) > per_page)


def _rows(
    session: Session, query: sa.Select[Any], page: int, per_page: int, limit: int
) -> list[Any]:
    statement = query.limit(limit).offset((page - 1) * per_page)
    if len(query.column_descriptions) == 1:
        return list(session.scalars(statement).all())
    return [tuple(row) for row in session.execute(statement).all()]


def found_first(
    ids: sa.Select[Any],
    order: Sequence[Any],
    *,
    backward: bool = False,
    start: str = "offset",
    count: str = "limit",
) -> sa.Subquery:
    """The rows `ids` selects (an id, and what the order needs), `count` of them from place
    `start` (bind parameters) in `order`, or in its reverse when `backward` (window()): a page
    found along its order's index before anything it shows is joined to it. Joined before the
    OFFSET, every row passed over on the way to a deep page would be joined too."""
    return (
        ids.order_by(*reversed_order(order) if backward else order)
        .limit(sa.bindparam(count, type_=sa.Integer))
        .offset(sa.bindparam(start, type_=sa.Integer))
        .subquery()
    )


def next_known_page(
    session: Session,
    statement: sa.Select[Any],
    page: int,
    per_page: int,
    values: dict[str, Any] | None = None,
) -> Page[tuple[Any, ...]]:
    """Page `page` (from 1) of a statement paged by the bind parameters `limit` and `offset`
    (found_first), with its other `values`, its rows as tuples, one row more read to learn
    whether a next page exists (a list that is not counted)."""
    page = max(page, 1)
    bounds = {"limit": per_page + 1, "offset": (page - 1) * per_page}
    rows = [tuple(row) for row in session.execute(statement, {**(values or {}), **bounds})]
    return Page(rows[:per_page], page, per_page, len(rows) > per_page)


def reversed_order(order: Sequence[Any]) -> list[Any]:
    """`order` walked the other way: each term ascending becomes descending, and the reverse
    (an index holds either direction)."""
    reverse = []
    for term in order:
        if isinstance(term, UnaryExpression) and term.modifier is operators.desc_op:
            reverse.append(term.element.asc())
        elif isinstance(term, UnaryExpression) and term.modifier is operators.asc_op:
            reverse.append(term.element.desc())
        else:
            reverse.append(term.desc())
    return reverse


def window(total: int, limit: int, offset: int) -> tuple[bool, int, int]:
    """How to read `limit` rows from place `offset` of an ordered list of `total` rows:
    (backward, limit, offset). A page with fewer rows after it than before it is read from the
    list's end, its order's index walked the other way, so that no page passes over more than
    half the list and the last page costs what the first does."""
    shown = max(min(limit, total - offset), 0)
    after = max(total - offset - shown, 0)
    return (True, shown, after) if after < offset else (False, limit, offset)
