"""The award given with a title (certificate, prize, bonus) and its recovery after a
revocation (撤销称号，收回奖励): the office records both on the honour, each change audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal import audit
from portal.clock import SHANGHAI, shanghai_today
from portal.db import lock_row, utcnow
from portal.honours import rules
from portal.honours.errors import AwardError
from portal.honours.models import AwardRecovery, Honour, HonourAward


@dataclass(frozen=True)
class AwardData:
    certificate: bool
    prize: str = ""
    bonus_yuan: Decimal | None = None


@dataclass(frozen=True)
class RecoveryData:
    recovery: AwardRecovery
    recovered_on: date
    recovered_by: str
    note: str = ""


def award_of(session: Session, honour: Honour) -> HonourAward | None:
    return session.scalar(sa.select(HonourAward).where(HonourAward.honour_id == honour.id))


def _snapshot(award: HonourAward) -> dict:
    return audit.snapshot(award, exclude=("id", "honour_id", "updated_at", "updated_by_id"))


def _locked_award(session: Session, honour: Honour) -> tuple[HonourAward, dict | None]:
    lock_row(session, Honour, honour.id)
    award = award_of(session, honour)
    if award is None:
        award = HonourAward(
            honour=honour, certificate=True, prize="", recovered_by="", recovery_note=""
        )
        session.add(award)
        return award, None
    return award, _snapshot(award)


def _save(session, actor, honour, award, before, action: str, now: datetime) -> HonourAward:
    award.updated_at = now
    award.updated_by_id = actor.id
    session.flush()
    after = _snapshot(award)
    audit.record(
        session,
        actor=actor,
        action=action,
        obj=honour,
        before=before,
        after=after,
        reason=award.recovery_note or "",
    )
    return award


def record_award(
    session: Session, honour: Honour, actor, data: AwardData, now: datetime | None = None
) -> HonourAward:
    """What was given with the title; it can change until a recovery is recorded."""
    if not rules.can_manage_honours(actor):
        raise AwardError("not_allowed")
    if data.bonus_yuan is not None and data.bonus_yuan < 0:
        raise AwardError("bonus_negative")
    award, before = _locked_award(session, honour)
    if award.recovery is not None:
        raise AwardError("recovery_recorded")
    award.certificate = data.certificate
    award.prize = data.prize.strip()
    award.bonus_yuan = data.bonus_yuan
    return _save(session, actor, honour, award, before, "honour.award", now or utcnow())


def record_recovery(
    session: Session, honour: Honour, actor, data: RecoveryData, now: datetime | None = None
) -> HonourAward:
    """Whether the award of a revoked title came back: the day, who handled it, a note
    (required when it did not). A later record corrects an earlier one."""
    if not rules.can_manage_honours(actor):
        raise AwardError("not_allowed")
    if honour.revoked_at is None:
        raise AwardError("not_revoked")
    revoked_on = honour.revoked_at.astimezone(SHANGHAI).date()
    if data.recovered_on > shanghai_today(now):
        raise AwardError("date_in_future")
    if data.recovered_on < revoked_on:
        raise AwardError("before_revocation", day=revoked_on.isoformat())
    if not data.recovered_by.strip():
        raise AwardError("who_required")
    if data.recovery is AwardRecovery.NOT_RECOVERED and not data.note.strip():
        raise AwardError("note_required")
    award, before = _locked_award(session, honour)
    award.recovery = data.recovery
    award.recovered_on = data.recovered_on
    award.recovered_by = data.recovered_by.strip()
    award.recovery_note = data.note.strip()
    return _save(session, actor, honour, award, before, "honour.award_recovery", now or utcnow())


def award_items(award: HonourAward | None, public: bool = False) -> list[str]:
    """What was given, as the pages list it (a certificate by default when nothing is
    recorded: every title comes with one). The public list names a bonus, not its amount."""
    if award is None:
        return [_("certificate")]
    items = [_("certificate")] if award.certificate else []
    if award.prize:
        items.append(award.prize)
    if award.bonus_yuan and public:
        items.append(_("bonus"))
    elif award.bonus_yuan:
        items.append(_("bonus of %(amount)s yuan", amount=f"{award.bonus_yuan.normalize():f}"))
    return items
