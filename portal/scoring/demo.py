"""Demo expert review: a pool of experts, each with a login, a panel for every industry of the
demo's enterprises, packets of two industries accepted into expert review, automatic assignment
(one expert is kept off by a conflict of interest), pledges and sheets, some locked and some
still drafts. Idempotent: nothing happens once panels exist."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User
from portal.applications.demo import DemoPacket, demo_packet
from portal.applications.models import ApplicationState
from portal.campaigns.models import Campaign, CategoryKind
from portal.organizations.models import Industry, Organization
from portal.scoring import assignment as assigning
from portal.scoring import sheets
from portal.scoring.models import Assignment, AssignmentStatus, Expert, Panel, ScoreSheet

EXPERT_HOME = "上海市质量管理科学研究院"
STORE = "申城第一百货商店有限公司"
EVERYDAY = ["commerce", "hotels", "catering", "tourism"]  # 生活服务
PUBLIC = ["finance", "transit", "health", "utilities"]  # 公共服务
# (login, name, title, home organization, industries); every expert logs in (portal.demo).
EXPERTS = [
    ("zhuanjia1@demo.example.com", "沈立群", "研究员", EXPERT_HOME, EVERYDAY + PUBLIC),
    ("zhuanjia2@demo.example.com", "韩秀英", "高级工程师", EXPERT_HOME, EVERYDAY + PUBLIC),
    ("zhuanjia3@demo.example.com", "陆文博", "教授", EXPERT_HOME, EVERYDAY),
    ("zhuanjia4@demo.example.com", "周婉清", "副教授", EXPERT_HOME, EVERYDAY),
    ("zhuanjia5@demo.example.com", "蒋志刚", "高级经济师", EXPERT_HOME, EVERYDAY + PUBLIC),
    ("zhuanjia6@demo.example.com", "朱海燕", "质量总监", EXPERT_HOME, EVERYDAY),
    # Works for the store whose packets the commerce panel scores: never assigned to them.
    ("zhuanjia7@demo.example.com", "范建华", "服务质量部经理", STORE, EVERYDAY),
    ("zhuanjia8@demo.example.com", "吴国平", "高级工程师", EXPERT_HOME, PUBLIC),
    ("zhuanjia9@demo.example.com", "黄丽娟", "研究员", EXPERT_HOME, PUBLIC),
    ("zhuanjia10@demo.example.com", "郑宏", "副研究员", EXPERT_HOME, PUBLIC),
]
UNPLEDGED = "zhuanjia2@demo.example.com"  # shows the pledge page first

# One panel for each industry of the demo's enterprises, so that any packet the office
# accepts in the demo has experts waiting for it.
PANELS = {
    "commerce": "商业组",
    "hotels": "宾馆组",
    "catering": "餐饮组",
    "tourism": "旅游组",
    "finance": "金融组",
    "transit": "公共交通组",
    "health": "医疗卫生组",
    "utilities": "公用事业组",
}
# The industries whose packets the demo puts in expert review, with the unit that applied.
SCORED_UNITS = {"commerce": STORE, "hotels": "申城外滩大酒店有限公司"}
PACKETS = {
    "commerce": [
        DemoPacket(STORE, CategoryKind.TEAM, "家电数码柜组服务班组", "柜组长", "99.1",
                   members=9, women=6, average_age=34),
        DemoPacket(STORE, CategoryKind.INDIVIDUAL, "陈思雨", "化妆品柜营业员", "99.4",
                   birth=date(1992, 3, 15), female=True),
    ],
    "hotels": [
        DemoPacket(SCORED_UNITS["hotels"], CategoryKind.TEAM, "中餐厅宴会服务班组", "宴会主管",
                   "98.7", members=12, women=7, average_age=32),
        DemoPacket(SCORED_UNITS["hotels"], CategoryKind.INDIVIDUAL, "王志强", "礼宾部主管",
                   "98.9", birth=date(1985, 7, 9), female=False),
    ],
}  # fmt: skip
CRITERIA = {"idea": 12, "standards": 16, "skills": 12, "innovation": 11, "results": 20, "impact": 7}


def _expert_rows(session: Session) -> list[Expert]:
    industries = {i.code: i for i in session.scalars(sa.select(Industry))}
    experts = []
    for n, (email, name, title, home, codes) in enumerate(EXPERTS, start=1):
        org = session.scalar(sa.select(Organization).where(Organization.name == home))
        if org is None:
            continue
        expert = Expert(
            name=name,
            title=title,
            organization=org,
            user=session.scalar(sa.select(User).where(User.email == email)),
            email=email,
            mobile=f"1391234{n:04d}",
            industries=[industries[c] for c in codes],
        )
        session.add(expert)
        session.flush()
        audit.record(
            session, actor=None, action="expert.create", obj=expert, after=audit.snapshot(expert)
        )
        experts.append(expert)
    return experts


def _packets(session: Session, campaign: Campaign, code: str) -> None:
    submitted = datetime(campaign.year, 10, 28, 2, 0, tzinfo=UTC)
    for n, packet in enumerate(PACKETS.get(code, [])):
        demo_packet(
            session,
            campaign,
            packet,
            state=ApplicationState.ACCEPTED,
            serial=60 + n + 10 * list(PACKETS).index(code),
            submitted_at=submitted,
        )


def _score(session: Session, a: Assignment, step: int, lock: bool) -> None:
    """Scores that differ by expert and packet, in half points, within each maximum."""
    entries: dict[str, object] = {
        code: str(min(Decimal(base) + Decimal(step % 4) / 2 + (step % 3), _max(a, code)))
        for code, base in CRITERIA.items()
    }
    entries["praise_letter"] = str(step % 6)
    entries["complaint"] = "1" if step % 5 == 0 else "0"
    sheet = _sheet(a)
    sheets.save_sheet(
        session, _as_expert(a.expert), a.expert, sheet, entries, comment="材料翔实，亮点突出。"
    )
    if lock:
        sheets.lock_sheet(session, _as_expert(a.expert), a.expert, sheet)


def _as_expert(expert: Expert) -> User:
    """Who saves and locks a demo sheet: the expert's own login, as the workflow wants."""
    if expert.user is None:  # the demo seeds a login for each of its experts
        raise ValueError(f"the demo expert {expert.email} has no login")
    return expert.user


def _sheet(a: Assignment) -> ScoreSheet:
    if a.sheet is None:  # assigning a packet gives it its sheet
        raise ValueError(f"the demo assignment {a.id} has no score sheet")
    return a.sheet


def _max(a: Assignment, code: str) -> Decimal:
    return next(
        line.rubric_item.points for line in _sheet(a).items if line.rubric_item.code == code
    )


def seed_scoring_demo(session: Session, campaign: Campaign | None) -> int:
    """Seed expert review on `campaign`; returns how many panels were created."""
    if campaign is None or session.scalar(
        sa.select(Panel.id).where(Panel.campaign_id == campaign.id).limit(1)
    ):
        return 0
    if session.scalar(sa.select(Expert.id).limit(1)) is None:
        experts = _expert_rows(session)
    else:
        experts = list(session.scalars(sa.select(Expert).order_by(Expert.id)))
    industries = {i.code: i for i in session.scalars(sa.select(Industry))}
    created = 0
    for code, name in PANELS.items():
        industry = industries.get(code)
        if industry not in campaign.industries:
            continue
        created += 1
        _packets(session, campaign, code)
        members = [e for e in experts if industry in e.industries]
        panel = Panel(
            campaign_id=campaign.id,
            industry=industry,
            name=name,
            members=members,
            leader=members[0],
        )
        session.add(panel)
        session.flush()
        audit.record(session, actor=None, action="panel.create", obj=panel)
        assigning.auto_assign(session, None, panel)
    for expert in experts:
        if expert.email != UNPLEDGED:
            sheets.accept_pledge(session, None, expert, campaign)
    active = session.scalars(
        sa.select(Assignment)
        .where(Assignment.campaign_id == campaign.id, Assignment.status == AssignmentStatus.ACTIVE)
        .order_by(Assignment.id)
    ).all()
    for step, a in enumerate(active):
        if a.expert.email == UNPLEDGED:
            continue
        # Commerce is fully scored; in hotels every third sheet is still a draft.
        _score(session, a, step, lock=a.panel.name == "商业组" or step % 3 != 0)
    session.commit()
    return created
