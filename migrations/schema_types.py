"""Column types of the migrations, kept here so that no revision imports the portal's code.

A revision describes the schema as it was when it was written: if it imported a type from
`portal`, renaming or changing that type would break every database's upgrade history. env.py
renders each of the portal's own column types as the class of the same name defined here; a
new type in the models must be copied here first (autogenerate stops and says so). Never
change a type here in a way that alters its DDL: write a new one under a new name instead.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """`timestamp with time zone`, values read and written as aware UTC (for data migrations)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
