"""Fixed-window request counters in the database, shared by every app server.

`hit()` adds one request to its window with a single `INSERT … ON CONFLICT DO UPDATE …
RETURNING`, so parallel requests each get a distinct count (no read-then-write gap) and the
request that makes the count pass the limit is the one refused, on SQLite and PostgreSQL alike.
`hit_each()` counts one request under several rules (a survey answer's address and survey) in
one such statement, each row as atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.notice.models import ThrottleCounter

# Rows of windows that ended this long ago are deleted when a new window starts.
KEEP = timedelta(days=2)


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window: timedelta


def window_start(now: datetime, window: timedelta) -> datetime:
    """The start of the fixed window holding `now` (windows are aligned to the epoch)."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    seconds = int(window.total_seconds())
    elapsed = int((now - epoch).total_seconds())
    return epoch + timedelta(seconds=elapsed - elapsed % seconds)


def retry_after(now: datetime, window: timedelta) -> int:
    """Whole seconds until the window holding `now` ends."""
    end = window_start(now, window) + window
    return max(1, int((end - now).total_seconds() + 0.999))


def hit(session: Session, rule: Limit, key: str, now: datetime) -> int:
    """Count one request of `key` under `rule` and return the window's count, this one included."""
    return hit_each(session, [(rule, key)], now)[0]


@cache
def _upsert(rows: int) -> sa.TextClause:
    """The upsert of `rows` counters, with the bound parameters scope_<i>, key_<i> and
    start_<i>; the same SQL on PostgreSQL and SQLite. Written out, since SQLAlchemy compiles
    a multi-row insert anew on every execution, and this one runs on every survey answer."""
    values = ", ".join(f"(:scope_{i}, :key_{i}, :start_{i}, 1)" for i in range(rows))
    start_type = ThrottleCounter.__table__.c.window_start.type
    return sa.text(
        f'INSERT INTO throttle_counter (scope, "key", window_start, hits) VALUES {values} '
        'ON CONFLICT (scope, "key", window_start) DO UPDATE SET hits = throttle_counter.hits + 1 '
        "RETURNING scope, hits"
    ).bindparams(*(sa.bindparam(f"start_{i}", type_=start_type) for i in range(rows)))


def hit_each(session: Session, hits: list[tuple[Limit, str]], now: datetime) -> list[int]:
    """Count one request under each (rule, key) in one upsert, a row each, and return each
    window's count, this one included, in the order given. The rules' scopes must differ."""
    starts = [window_start(now, rule.window) for rule, _key in hits]
    params: dict[str, object] = {}
    for i, ((rule, key), start) in enumerate(zip(hits, starts, strict=True)):
        params |= {f"scope_{i}": rule.scope, f"key_{i}": key[:64], f"start_{i}": start}
    counts = {scope: count for scope, count in session.execute(_upsert(len(hits)), params)}
    for (rule, _key), start in zip(hits, starts, strict=True):
        if counts[rule.scope] == 1:
            session.execute(
                sa.delete(ThrottleCounter)
                .where(
                    ThrottleCounter.scope == rule.scope,
                    ThrottleCounter.window_start < start - KEEP,
                )
                .execution_options(synchronize_session=False)
            )
    return [counts[rule.scope] for rule, _key in hits]


def over(session: Session, rule: Limit, key: str, now: datetime) -> bool:
    """Count the request; True when it is beyond the rule's limit."""
    return hit(session, rule, key, now) > rule.limit


def over_each(session: Session, hits: list[tuple[Limit, str]], now: datetime) -> list[bool]:
    """Count the request under each (rule, key) at once (see hit_each); for each, True when the
    request is beyond that rule's limit."""
    counts = hit_each(session, hits, now)
    return [count > rule.limit for count, (rule, _key) in zip(counts, hits, strict=True)]
