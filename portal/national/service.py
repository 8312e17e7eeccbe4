"""The year's national recommendation list: add a current holder, take one off, rank them,
gather the Word export's data. Every change is audited; callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from portal import audit
from portal.applications.models import Application
from portal.clock import SHANGHAI, shanghai_today
from portal.db import utcnow
from portal.honours.models import Honour, HonourStatus
from portal.labels import label
from portal.national import rules
from portal.national.errors import NationalError
from portal.national.models import NationalNomination
from portal.percent import percent_text

REASON_MAX_CHARS = 2000


def _honour_loads():
    return (
        joinedload(Honour.campaign),
        joinedload(Honour.category),
        joinedload(Honour.district),
        joinedload(Honour.industry),
        joinedload(Honour.application),
    )


def national_list(session: Session, year: int) -> list[NationalNomination]:
    """The year's list in rank order, each holder's honour and packet loaded."""
    return list(
        session.scalars(
            sa.select(NationalNomination)
            .where(NationalNomination.year == year)
            .options(joinedload(NationalNomination.honour).options(*_honour_loads()))
            .order_by(NationalNomination.rank, NationalNomination.id)
        ).unique()
    )


def candidates(session: Session, year: int, today: date | None = None) -> list[Honour]:
    """The city's current holders not yet on the year's list, newest titles first."""
    today = today or shanghai_today()
    listed = sa.select(NationalNomination.honour_id).where(NationalNomination.year == year)
    return list(
        session.scalars(
            sa.select(Honour)
            .where(Honour.status_filter(HonourStatus.ACTIVE, today), Honour.id.not_in(listed))
            .options(*_honour_loads())
            .order_by(Honour.awarded_on.desc(), Honour.certificate_number)
        ).unique()
    )


def _require(actor) -> None:
    if not rules.can_recommend_nationally(actor):
        raise NationalError("not_allowed")


def _lock_list(session: Session, year: int) -> list[NationalNomination]:
    """The year's rows, locked: two office users editing at once take turns."""
    return list(
        session.scalars(
            sa.select(NationalNomination)
            .where(NationalNomination.year == year)
            .order_by(NationalNomination.rank, NationalNomination.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def _ranks(rows: list[NationalNomination]) -> list[dict]:
    return [{"honour": r.honour_id, "rank": r.rank} for r in rows]


def add_nomination(
    session: Session, actor, year: int, honour_id: int, reason: str = "", now=None
) -> NationalNomination:
    """Put a current holder at the end of the year's list."""
    _require(actor)
    honour = session.get(Honour, honour_id)
    if honour is None:
        raise NationalError("unknown_honour")
    today = shanghai_today(now)
    if not rules.is_current_holder(honour, today):
        status = honour.status_on(today)
        raise NationalError("not_current", holder=honour.holder_name, status=label(status))
    reason = (reason or "").replace("\r\n", "\n").strip()
    if len(reason) > REASON_MAX_CHARS:
        raise NationalError("reason_too_long", max=REASON_MAX_CHARS)
    rows = _lock_list(session, year)
    if any(r.honour_id == honour.id for r in rows):
        raise NationalError("already_listed", holder=honour.holder_name, year=year)
    row = NationalNomination(
        year=year,
        honour_id=honour.id,
        rank=len(rows) + 1,
        reason=reason,
        created_at=now or utcnow(),
        created_by_id=actor.id,
    )
    session.add(row)
    session.flush()
    after = {"year": year, "honour": honour.certificate_number, "rank": row.rank}
    audit.record(session, actor=actor, action="national.add", obj=row, after=after, reason=reason)
    return row


def remove_nomination(session: Session, actor, year: int, nomination_id: int) -> None:
    """Take a holder off the list; those below move up one rank."""
    _require(actor)
    rows = _lock_list(session, year)
    row = next((r for r in rows if r.id == nomination_id), None)
    if row is None:
        raise NationalError("not_listed")
    before = _ranks(rows)
    session.delete(row)
    rest = [r for r in rows if r is not row]
    for rank, r in enumerate(rest, start=1):
        r.rank = rank
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="national.remove",
        object_type="national_list",
        object_id=year,
        before={"ranks": before},
        after={"ranks": _ranks(rest)},
    )


def reorder(session: Session, actor, year: int, typed: dict[int, str]) -> None:
    """Rank the list as typed: {nomination id: rank}, each rank 1..n given once."""
    _require(actor)
    rows = _lock_list(session, year)
    if set(typed) != {r.id for r in rows}:
        raise NationalError("not_listed")
    try:
        ranks = {row_id: int(str(value).strip()) for row_id, value in typed.items()}
    except ValueError as err:
        raise NationalError("bad_order", count=len(rows)) from err
    if sorted(ranks.values()) != list(range(1, len(rows) + 1)):
        raise NationalError("bad_order", count=len(rows))
    before = _ranks(rows)
    for r in rows:
        r.rank = ranks[r.id]
    session.flush()
    rows.sort(key=lambda r: r.rank)
    audit.record(
        session,
        actor=actor,
        action="national.reorder",
        object_type="national_list",
        object_id=year,
        before={"ranks": before},
        after={"ranks": _ranks(rows)},
    )


# --- the Word export ----------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _where(honour: Honour) -> str:
    return " / ".join(p.name_zh for p in (honour.district, honour.industry) if p is not None)


def _figures(app: Application) -> list[tuple[str, str]]:
    """The packet's key figures, as label and text pairs, by kind."""
    if app.kind.value == "team":
        women = _text(app.women_count)
        if app.women_share is not None:
            women = f"{women}（{percent_text(app.women_share)}）"
        people = [
            ("班组人数", _text(app.member_count)),
            ("平均年龄", _text(app.average_age)),
            ("女性人数（占比）", women),
            ("班组长", app.leader_name or ""),
        ]
    else:
        sex = "" if app.female is None else ("女" if app.female else "男")
        people = [
            ("性别", sex),
            ("年龄", _text(app.age)),
            ("岗位", app.post or ""),
            ("本岗位年限", _text(app.years_in_post)),
        ]
    rates = [
        ("顾客满意率", percent_text(app.satisfaction_rate)),
        ("服务及时率", percent_text(app.on_time_rate)),
        ("顾客投诉率", percent_text(app.complaint_rate)),
        ("投诉处理满意率", percent_text(app.complaint_handling_rate)),
    ]
    return people + rates


@dataclass(frozen=True)
class ExportEntry:
    rank: int
    holder: str
    category: str
    unit: str
    where: str
    year: str
    certificate: str
    valid_until: str
    figures: list[tuple[str, str]]
    service_content: str
    deeds_summary: str
    reason: str


def _entry(row: NationalNomination) -> ExportEntry:
    honour, app = row.honour, row.honour.application
    return ExportEntry(
        rank=row.rank,
        holder=honour.holder_name,
        category=honour.category.name_zh,
        unit=honour.unit_name,
        where=_where(honour),
        year=str(honour.campaign.year),
        certificate=honour.certificate_number,
        valid_until=f"{honour.valid_until:%Y年%m月%d日}",
        figures=_figures(app),
        service_content=app.service_content or "",
        deeds_summary=app.deeds_summary or "",
        reason=row.reason,
    )


def export_data(session: Session, year: int, now: datetime | None = None) -> dict:
    """Everything the Word document shows, as text; refuses an empty list and one that
    names a holder whose title has since expired or been revoked."""
    rows = national_list(session, year)
    if not rows:
        raise NationalError("empty", year=year)
    today = shanghai_today(now)
    stale = [r.honour.holder_name for r in rows if not rules.is_current_holder(r.honour, today)]
    if stale:
        raise NationalError("no_longer_current", holders="、".join(stale))
    local = (now or utcnow()).astimezone(SHANGHAI)
    return {
        "year": str(year),
        "exported_on": f"{local:%Y年%m月%d日}",
        "entries": [_entry(r) for r in rows],
    }
