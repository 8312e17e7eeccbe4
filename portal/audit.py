"""Append-only audit trail; each entry is chained to the one before by a keyed MAC.

The MAC (HMAC-SHA-256) is keyed with AUDIT_KEY from the configuration, never stored in the
database: someone who can write the rows but does not hold the key cannot rewrite an entry and
recompute the chain. Anchors (`flask audit anchor`) are copies of the chain's head kept outside
the database; verifying against them also catches a chain rewritten by someone holding the key
or cut short at the end.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.checks import mask_id_number, mask_mobile
from portal.db import Base, UTCDateTime, utcnow

GENESIS = "0" * 64

# Keys whose values are personal data: the trail keeps a masked form and a keyed hash of them,
# never the value. The hash lets an investigator who already holds a value confirm that an entry
# speaks of it (`flask audit match`), and tells nobody else anything.
PERSONAL_KEYS = frozenset(
    {
        "id_number",
        "mobile",
        "leader_mobile",
        "contact_mobile",
        "contact_phone",
        "office_phone",
        "birth_date",
    }
)


class AuditEntry(Base):
    """Who changed what, when, from what to what. Never updated, never deleted."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # No foreign key: the trail outlives any row it talks about.
    actor_id: Mapped[int | None] = mapped_column()
    actor_label: Mapped[str] = mapped_column(sa.String(300))
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(64))
    object_id: Mapped[str] = mapped_column(sa.String(64))
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)

    __table_args__ = (sa.Index("ix_audit_entry_object", "object_type", "object_id"),)


class AuditHead(Base):
    """The single row holding the chain's last hash; locked while an entry is appended."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_hash: Mapped[str] = mapped_column(sa.String(64))
    count: Mapped[int] = mapped_column(default=0)


def jsonable(value: Any) -> Any:
    """Enums, dates, decimals and containers of them as JSON-safe values."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def snapshot(obj: Base, exclude: tuple[str, ...] = ("password_hash",)) -> dict[str, Any]:
    """The column values of a row as JSON-safe data, secrets left out."""
    mapper = inspect(obj).mapper
    return {
        attr.key: jsonable(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in exclude
    }


def chain_key() -> bytes:
    """The MAC key: AUDIT_KEY, or else one derived from SECRET_KEY (both configuration)."""
    cfg = current_app.config
    if cfg.get("AUDIT_KEY"):
        return str(cfg["AUDIT_KEY"]).encode("utf-8")
    return hmac.new(str(cfg["SECRET_KEY"]).encode("utf-8"), b"audit-chain", "sha256").digest()


def personal_hash(value: Any) -> str:
    """A keyed hash of a personal value; one value always gives the same hash."""
    key = hmac.new(chain_key(), b"personal-data", hashlib.sha256).digest()
    text = str(jsonable(value)).strip().upper()
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _masked(key: str, value: Any) -> str:
    text = str(jsonable(value))
    if key == "id_number":
        return mask_id_number(text)
    if key == "birth_date":
        return text[:4] + "-**-**" if len(text) >= 4 else "*" * len(text)
    if "mobile" in key:
        return mask_mobile(text)
    return text[:3] + "*" * max(len(text) - 5, 0) + text[-2:] if len(text) > 5 else "*" * len(text)


def redact(value: Any) -> Any:
    """JSON data with every personal value replaced by {"masked": …, "hmac": …}, at any depth."""
    if isinstance(value, dict):
        return {
            k: (
                {"masked": _masked(k, v), "hmac": personal_hash(v)}
                if k in PERSONAL_KEYS and v not in (None, "")
                else redact(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def _mentions(value: Any, digest: str) -> bool:
    if isinstance(value, dict):
        if value.get("hmac") == digest and "masked" in value:
            return True
        return any(_mentions(v, digest) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, digest) for v in value)
    return False


def entries_mentioning(session: Session, personal_value: str) -> list[AuditEntry]:
    """The entries whose data held this personal value (matched by its keyed hash)."""
    digest = personal_hash(personal_value)
    rows = session.execute(sa.select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000)
    return [e for e in rows.scalars() if _mentions(e.before, digest) or _mentions(e.after, digest)]


def _digest(key: bytes, prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, (prev_hash + payload).encode("utf-8"), hashlib.sha256).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "before": entry.before,
        "after": entry.after,
        "reason": entry.reason,
    }


def actor_label(actor) -> str:
    if actor is None:
        return "system"
    return f"{actor.name} <{actor.email}> ({actor.role.value})"


def _primary_key(obj: Base) -> Any:
    """A flushed row's primary key (the first column of a composite one)."""
    identity = inspect(obj).identity
    if identity is None:  # record() flushes first, so only a row never added has none
        raise ValueError(f"{type(obj).__name__} is not in the session; audit it once added")
    return identity[0]


def record(
    session: Session,
    *,
    actor,
    action: str,
    obj: Base | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append an entry in the caller's transaction; the head row serialises concurrent writers.

    Personal values in `before` and `after` are stored masked, with a keyed hash (`redact`).
    """
    if obj is not None:
        session.flush()
        object_type = object_type or type(obj).__tablename__
        object_id = object_id if object_id is not None else _primary_key(obj)
    head = session.execute(
        sa.select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, last_hash=GENESIS, count=0)
        session.add(head)
    entry = AuditEntry(
        created_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_label=actor_label(actor),
        action=action,
        object_type=object_type or "",
        object_id=str(object_id if object_id is not None else ""),
        before=redact(jsonable(before)) if before is not None else None,
        after=redact(jsonable(after)) if after is not None else None,
        reason=reason or "",
        prev_hash=head.last_hash,
    )
    entry.hash = _digest(chain_key(), entry.prev_hash, _hashed_fields(entry))
    head.last_hash = entry.hash
    head.count += 1
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_at: int | None = None
    problem: str = ""


@dataclass(frozen=True)
class Anchor:
    """The chain's head at one moment: its length and last MAC, kept outside the database."""

    count: int
    hash: str
    at: str = ""

    def to_json(self) -> str:
        return json.dumps({"count": self.count, "hash": self.hash, "at": self.at})

    @classmethod
    def from_json(cls, line: str) -> Anchor:
        data = json.loads(line)
        return cls(count=int(data["count"]), hash=str(data["hash"]), at=str(data.get("at", "")))


def anchor(session: Session) -> Anchor:
    """The current head, to be written somewhere the database's writers cannot reach."""
    head = session.get(AuditHead, 1)
    if head is None:
        return Anchor(0, GENESIS, utcnow().isoformat())
    return Anchor(head.count, head.last_hash, utcnow().isoformat())


def verify(session: Session, anchors: Iterable[Anchor] = ()) -> VerifyResult:
    """Recompute the chain from the first entry with the configured key; check each anchor.

    Says where the chain first breaks, if it does: an entry whose MAC does not match (a rewrite
    by someone without the key), a missing entry, or an anchor the chain no longer passes
    through (a rewrite by someone with the key, or entries removed at the end).
    """
    key = chain_key()
    wanted = {a.count: a for a in anchors}
    expected_prev = GENESIS
    checked = 0
    rows = session.execute(sa.select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000)
    for entry in rows.scalars():
        if entry.prev_hash != expected_prev:
            return VerifyResult(False, checked, entry.id, "previous hash does not match")
        if not hmac.compare_digest(
            _digest(key, entry.prev_hash, _hashed_fields(entry)), entry.hash
        ):
            return VerifyResult(False, checked, entry.id, "content does not match its hash")
        expected_prev = entry.hash
        checked += 1
        if checked in wanted and wanted[checked].hash != entry.hash:
            return VerifyResult(False, checked - 1, entry.id, "does not match the anchor")
    head = session.get(AuditHead, 1)
    head_hash, head_count = (head.last_hash, head.count) if head else (GENESIS, 0)
    if head_hash != expected_prev or head_count != checked:
        return VerifyResult(False, checked, None, "entries missing at the end of the chain")
    if any(count > checked for count in wanted):
        return VerifyResult(False, checked, None, "the chain is shorter than an anchor")
    return VerifyResult(True, checked)


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _ctx, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError("audit entries are append-only")
