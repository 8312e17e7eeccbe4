"""Demo of re-evaluation: a round for the titles in their third year, one report submitted and
forwarded by its channel, waiting for the programme office (on the office's home page).
Idempotent.

The demo's titles were awarded in December 2025, so in 2026 none is in its third year yet: the
round is then opened as of ninety days before the first title ends, as if that day had come.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.clock import SHANGHAI, shanghai_today
from portal.honours.models import Honour
from portal.reevaluation import rules, service
from portal.reevaluation.errors import ReevaluationError
from portal.reevaluation.models import Reevaluation, ReevaluationRound
from portal.roles import Role

REPORT = service.ReportData(
    changes=(
        "获得称号以来，班组由12人增至14人，新增两名青年员工；推行首问负责制和午间延时服务，"
        "开通线上预约，窗口平均等候时间由15分钟降至8分钟。"
    ),
    surveys="最近一次发放顾客评价调查表200份，回收196份，满意率98.5%，无不满意评价。",
    staff_count=14,
    satisfaction_rate=Decimal("98.5"),
    complaints=0,
)


def _users(session: Session, role: Role) -> list[User]:
    return list(
        session.scalars(sa.select(User).where(User.role == role, User.active).order_by(User.id))
    )


def _moment(honours: list[Honour]) -> datetime:
    """Now, when a title is in its third year; else ninety days before the first one ends."""
    now = datetime.now(SHANGHAI)
    if any(rules.in_third_year(h, shanghai_today(now)) for h in honours):
        return now
    day = min(h.valid_until for h in honours) - timedelta(days=90)
    return datetime.combine(day, time(10, 0), tzinfo=SHANGHAI)


def _walk(session: Session, r: Reevaluation, moment: datetime) -> bool:
    """The unit reports and submits, its channel forwards: now with the office."""
    unit = next((u for u in _users(session, Role.ENTERPRISE) if rules.is_holder(u, r)), None)
    channel = next(
        (u for u in _users(session, Role.CHANNEL_REVIEWER) if rules.in_channel(u, r)), None
    )
    if unit is None or channel is None:
        return False
    service.save_report(session, r, unit, REPORT)
    service.submit_report(session, r, unit, now=moment + timedelta(days=3))
    opinion = "经核实，该班组服务质量保持良好，材料属实，同意报送。"
    service.review(session, r, channel, True, opinion, now=moment + timedelta(days=6))
    return True


def seed_reevaluation_demo(session: Session) -> Reevaluation | None:
    """The re-evaluation the demo walked to the office, the first time; None after."""
    if session.scalar(sa.select(sa.exists().where(ReevaluationRound.id.is_not(None)))):
        return None
    office = next(iter(_users(session, Role.OFFICE)), None)
    honours = list(session.scalars(sa.select(Honour).where(Honour.revoked_at.is_(None))))
    if office is None or not honours:
        return None
    moment = _moment(honours)
    title = f"{moment.year}年度称号复评"
    report_by = moment.date() + timedelta(days=30)
    try:
        round_ = service.open_round(session, office, title, report_by, now=moment)
    except ReevaluationError:  # a title ends within the month: no report could be asked
        session.rollback()
        return None
    walked = next((r for r in round_.reevaluations if _walk(session, r, moment)), None)
    session.commit()
    return walked
