"""Fixed-window request counters in the database, shared by every app server.

`hit()` adds one request to its window with a single `INSERT … ON CONFLICT DO UPDATE …
RETURNING`, so parallel requests each get a distinct count (no read-then-write gap) and the
request that makes the count pass the limit is the one refused, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
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
    start = window_start(now, rule.window)
    dialect = session.get_bind().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    stmt = insert(ThrottleCounter).values(
        scope=rule.scope, key=key[:64], window_start=start, hits=1
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["scope", "key", "window_start"],
        set_={"hits": ThrottleCounter.hits + 1},
    ).returning(ThrottleCounter.hits)
    count = session.execute(stmt).scalar_one()
    if count == 1:
        session.execute(
            sa.delete(ThrottleCounter).where(
                ThrottleCounter.scope == rule.scope,
                ThrottleCounter.window_start < start - KEEP,
            )
        )
    return count


def over(session: Session, rule: Limit, key: str, now: datetime) -> bool:
    """Count the request; True when it is beyond the rule's limit."""
    return hit(session, rule, key, now) > rule.limit
