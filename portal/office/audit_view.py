"""The audit trail as people read it: one line per changed field, filters, and short values.

Entries store `before` and `after` as JSON. A page that printed them raw grew as wide as the
longest value; here each changed field becomes `field: before → after`, lists are counted
("3 rows → 4 rows"), personal values show their masked form only (never their keyed hash) and
every value is cut to `VALUE_CAP` characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.audit import AuditEntry
from portal.clock import SHANGHAI
from portal.inputs import BadInput, query_text

VALUE_CAP = 160  # characters of one value shown before an ellipsis
TEXT_FILTER_CAP = 200
ELLIPSIS = "…"
NOTHING = "—"


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def shorten(text: str, cap: int = VALUE_CAP) -> str:
    """The text cut to `cap` characters, an ellipsis marking a cut."""
    return text if len(text) <= cap else text[: cap - 1] + ELLIPSIS


def _is_personal(value: Any) -> bool:
    return isinstance(value, dict) and "masked" in value and "hmac" in value


def _rows(n: int) -> str:
    return ngettext("%(num)d row", "%(num)d rows", n)


def _compact(value: Any, cap: int) -> str:
    """A value as one line of text, not yet cut: whole up to `cap` characters, and a list's or
    an object's parts joined only until they pass the cap, which is all the cut will show (a
    list of 5,000 ids is not written out for 160 characters of it)."""
    if value is None or value == "":
        return NOTHING
    if _is_personal(value):
        return str(value["masked"])
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        # Each type of value is asked about once, not each value: a list of 5,000 ids has one.
        if any(issubclass(kind, dict | list) for kind in set(map(type, value))):
            return _rows(len(value))
        return _joined((_compact(v, cap) for v in value), ", ", cap) or _rows(0)
    if isinstance(value, dict):
        return _joined((f"{k}: {_compact(v, cap)}" for k, v in value.items()), "; ", cap)
    return str(value)


def _joined(parts: Iterator[str], separator: str, cap: int) -> str:
    """The parts joined by the separator, the next part asked for only while the text so far
    fits in `cap` characters."""
    text = next(parts, "")
    while len(text) <= cap:
        part = next(parts, None)
        if part is None:
            break
        text = f"{text}{separator}{part}"
    return text


def render_value(value: Any) -> str:
    """A stored value as readable text: masked if personal, lists counted, capped in length."""
    return shorten(_compact(value, VALUE_CAP))


def changes(before: Any, after: Any) -> list[Change]:
    """The fields that differ between two snapshots, one Change each, in the snapshots' order."""
    if not isinstance(before, dict) and not isinstance(after, dict):
        if before == after:
            return []
        return [Change("", render_value(before), render_value(after))]
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    keys = list(old) + [k for k in new if k not in old]
    result = []
    for key in keys:
        was, now = old.get(key), new.get(key)
        if _same(was, now):
            continue
        result.append(Change(key, render_value(was), render_value(now)))
    return result


def _same(a: Any, b: Any) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if _is_personal(a) and _is_personal(b):
        return a["hmac"] == b["hmac"]
    return a == b


@dataclass(frozen=True)
class Filters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None

    def args(self) -> dict[str, str]:
        """The filters as query parameters, for links that keep them (paging)."""
        pairs = {
            "actor": self.actor,
            "action": self.action,
            "type": self.object_type,
            "id": self.object_id,
            "from": self.since.isoformat() if self.since else "",
            "to": self.until.isoformat() if self.until else "",
        }
        return {k: v for k, v in pairs.items() if v}

    def apply(self, query: sa.Select) -> sa.Select:
        if self.actor:
            pattern = "%" + self.actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(AuditEntry.actor_label.ilike(pattern + "%", escape="\\"))
        if self.action:
            query = query.where(AuditEntry.action == self.action)
        if self.object_type:
            query = query.where(AuditEntry.object_type == self.object_type)
        if self.object_id:
            query = query.where(AuditEntry.object_id == self.object_id)
        if self.since:
            query = query.where(AuditEntry.created_at >= _day_start(self.since))
        if self.until:
            query = query.where(AuditEntry.created_at < _day_start(self.until + timedelta(days=1)))
        return query


def _day_start(day: date) -> datetime:
    """Midnight of a Shanghai calendar day, in UTC (the trail's times are stored in UTC)."""
    return datetime.combine(day, time(0, 0), tzinfo=SHANGHAI).astimezone(UTC)


def _query_text(name: str) -> str:
    raw = query_text(name)
    if len(raw) > TEXT_FILTER_CAP:
        raise BadInput(
            _l("The parameter %(name)s is too long.", name=name),
            parameter=name,
        )
    return raw


def _query_date(name: str) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        if not raw.isascii() or len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise BadInput(
            _l("The parameter %(name)s must be a date such as 2026-03-01.", name=name),
            parameter=name,
        ) from None


def filters_from_request() -> Filters:
    """The filters a GET request asks for; a malformed date or an overlong text is a 400."""
    return Filters(
        actor=_query_text("actor"),
        action=_query_text("action"),
        object_type=_query_text("type"),
        object_id=_query_text("id"),
        since=_query_date("from"),
        until=_query_date("to"),
    )
