"""Demo of the notice: the 2025 list signed, on notice and closed with a dismissed and an
upheld objection; a working-day calendar for 2026. Idempotent."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.applications.demo import DemoPacket, demo_packet
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CategoryKind
from portal.notice import objections, service
from portal.notice.models import CalendarDay, DayKind
from portal.notice.workdays import SHANGHAI
from portal.organizations.models import Organization
from portal.roles import Role

# Weekday holidays and weekend make-up working days (调休) of 2026, as a demo calendar.
CALENDAR_2026 = [
    (date(2026, 1, 1), DayKind.HOLIDAY, "元旦"),
    (date(2026, 1, 2), DayKind.HOLIDAY, "元旦"),
    (date(2026, 1, 4), DayKind.WORKDAY, "元旦调休"),
    (date(2026, 2, 14), DayKind.WORKDAY, "春节调休"),
    *[(date(2026, 2, d), DayKind.HOLIDAY, "春节") for d in (16, 17, 18, 19, 20, 23)],
    (date(2026, 2, 28), DayKind.WORKDAY, "春节调休"),
    (date(2026, 4, 6), DayKind.HOLIDAY, "清明节"),
    *[(date(2026, 5, d), DayKind.HOLIDAY, "劳动节") for d in (1, 4, 5)],
    (date(2026, 5, 9), DayKind.WORKDAY, "劳动节调休"),
    (date(2026, 6, 19), DayKind.HOLIDAY, "端午节"),
    (date(2026, 9, 20), DayKind.WORKDAY, "国庆节调休"),
    (date(2026, 9, 25), DayKind.HOLIDAY, "中秋节"),
    *[(date(2026, 10, d), DayKind.HOLIDAY, "国庆节") for d in (1, 2, 5, 6, 7)],
    (date(2026, 10, 10), DayKind.WORKDAY, "国庆节调休"),
]
DEMO_CANDIDATES = [
    DemoPacket("申城第一百货商店有限公司", CategoryKind.TEAM, "服装楼层导购服务班组", "柜组长",
               "99.0", members=8, women=5, average_age=35),
    DemoPacket("申城国际旅行社有限公司", CategoryKind.INDIVIDUAL, "陈静", "出境游计调",
               "98.8", birth=date(1989, 9, 14), female=True),
    DemoPacket("申城老饭店餐饮管理有限公司", CategoryKind.TEAM, "本帮菜前厅服务班组", "前厅经理",
               "98.6", members=10, women=6, average_age=33),
    DemoPacket("申城外滩大酒店有限公司", CategoryKind.INDIVIDUAL, "刘洋", "大堂副理",
               "99.1", birth=date(1986, 5, 2), female=False),
]  # fmt: skip
OPENS_2025 = datetime(2025, 12, 1, 9, 0, tzinfo=SHANGHAI)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=SHANGHAI)


def _seed_calendar(session: Session, office: User) -> None:
    for day, kind, note in CALENDAR_2026:
        if session.get(CalendarDay, day) is None:
            service.mark_day(session, office, day, kind, note)


def _candidates(session: Session, campaign: Campaign) -> list[Application]:
    """The campaign's candidates; a few demo packets when the ranking left none."""
    existing = service.candidates(session, campaign)
    if existing:
        return existing
    for n, packet in enumerate(DEMO_CANDIDATES):
        demo_packet(
            session,
            campaign,
            packet,
            state=ApplicationState.CANDIDATE,
            serial=80 + n,
            submitted_at=_at(date(2025, 10, 20), 10),
        )
    session.flush()
    return service.candidates(session, campaign)


def _user(session: Session, organization: Organization | None, role: Role) -> User | None:
    if organization is None:
        return None
    return session.scalar(
        sa.select(User)
        .where(User.organization_id == organization.id, User.role == role, User.active)
        .order_by(User.id)
    )


def seed_notice_demo(session: Session, campaign: Campaign) -> None:
    """The campaign's notice, closed, with a dismissed and an upheld objection; 2026 calendar."""
    office = session.scalar(
        sa.select(User).where(User.role == Role.OFFICE, User.active).order_by(User.id)
    )
    if office is None:
        return
    _seed_calendar(session, office)
    if service.get_notice(session, campaign) is not None:
        return
    apps = _candidates(session, campaign)
    found = [_user(session, org, Role.ORGANIZER) for org in service.organizers(session).values()]
    signers = [user for user in found if user is not None]
    if len(apps) < 2 or len(signers) < len(found):
        return
    rnd = service.request_approval(session, campaign, office)
    for user in signers:
        service.sign_list(session, campaign, user, rnd.list_digest)
    notice = service.open_notice(session, campaign, office, opens_at=OPENS_2025, now=OPENS_2025)
    during = _at(date(2025, 12, 3), 10)
    dismissed = objections.submit_objection(
        session,
        notice,
        apps[0],
        name="周明",
        mobile="13911112222",
        email="zhouming@demo.example.com",
        reason="该班组窗口午间时段经常无人值守，群众办事需要长时间等待，与申报材料所述不符。",
        filled_seconds=120,
        ip="203.0.113.10",
        now=during,
    )
    upheld = objections.submit_objection(
        session,
        notice,
        apps[1],
        name="孙丽",
        mobile="13822223333",
        email=None,
        reason="申报人所填获奖情况中“市级服务标兵”称号经查询并无记录，疑似虚报。",
        filled_seconds=95,
        ip="203.0.113.11",
        now=_at(date(2025, 12, 4), 15),
    )
    objections.assign_investigator(session, dismissed, office, office)
    objections.record_findings(
        session, dismissed, office, "调取近三个月排班表与监控记录：午间设专人轮岗，未发现无人值守。"
    )
    objections.decide_objection(
        session,
        dismissed,
        office,
        upheld=False,
        reply="经调取排班与监控记录核实，该窗口午间有专人轮岗值守，反映情况不属实。感谢您的监督。",
        now=_at(date(2025, 12, 9), 16),
    )
    objections.assign_investigator(session, upheld, office, office)
    objections.decide_objection(
        session,
        upheld,
        office,
        upheld=True,
        findings="经向颁奖单位函询，该称号确无记录，申报材料存在虚报。",
        reply="经核实，反映情况属实。该候选人已被取消候选资格，名单已更新。感谢您的监督。",
        now=_at(date(2025, 12, 10), 11),
    )
    # The list without the withdrawn candidate goes to the four organizers again.
    revised = service.request_approval(session, campaign, office)
    for user in signers:
        service.sign_list(session, campaign, user, revised.list_digest)
    session.commit()
