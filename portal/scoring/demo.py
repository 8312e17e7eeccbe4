"""Demo expert review: a pool of experts with logins, two industry panels, packets accepted into
expert review, automatic assignment (one expert is kept off by a conflict of interest), pledges
and sheets, some locked and some still drafts. Idempotent: nothing happens once panels exist."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import Role, User
from portal.applications.demo import demo_application
from portal.applications.models import ApplicationState
from portal.campaigns.models import Campaign, CategoryKind
from portal.organizations.models import Industry, Organization
from portal.scoring import assignment as assigning
from portal.scoring import sheets
from portal.scoring.models import Assignment, AssignmentStatus, Expert, Panel

EXPERT_HOME = "上海市质量管理科学研究院"
STORE = "申城第一百货商店有限公司"
# (existing expert login or None, name, title, home organization, industries)
EXPERTS = [
    ("zhuanjia1@demo.example.com", "沈立群", "研究员", EXPERT_HOME, ["commerce", "hotels"]),
    ("zhuanjia2@demo.example.com", "韩秀英", "高级工程师", EXPERT_HOME, ["commerce", "hotels"]),
    (None, "陆文博", "教授", EXPERT_HOME, ["commerce", "hotels"]),
    (None, "周婉清", "副教授", EXPERT_HOME, ["commerce", "hotels"]),
    (None, "蒋志刚", "高级经济师", EXPERT_HOME, ["commerce", "hotels"]),
    (None, "朱海燕", "质量总监", EXPERT_HOME, ["commerce", "hotels"]),
    # Works for the store whose packets the commerce panel scores: never assigned to them.
    (None, "范建华", "服务质量部经理", STORE, ["commerce", "hotels"]),
]
UNPLEDGED = "zhuanjia2@demo.example.com"  # shows the pledge page first

PANELS = [
    ("商业组", "commerce", "申城第一百货商店有限公司"),
    ("宾馆组", "hotels", "申城外滩大酒店有限公司"),
]
PACKETS = {
    "commerce": [
        (CategoryKind.TEAM, "化妆品柜组服务班组", dict(member_count=9, women_count=8)),
        (CategoryKind.INDIVIDUAL, "陈晓燕", dict(female=True, age=34)),
    ],
    "hotels": [
        (CategoryKind.TEAM, "前厅礼宾服务班组", dict(member_count=12, women_count=7)),
        (CategoryKind.INDIVIDUAL, "王志强", dict(female=False, age=41)),
    ],
}
CRITERIA = {"idea": 12, "standards": 16, "skills": 12, "innovation": 11, "results": 20, "impact": 7}


def _expert_rows(session: Session) -> list[Expert]:
    industries = {i.code: i for i in session.scalars(sa.select(Industry))}
    experts = []
    for n, (email, name, title, home, codes) in enumerate(EXPERTS, start=1):
        org = session.scalar(sa.select(Organization).where(Organization.name == home))
        user = session.scalar(sa.select(User).where(User.email == email)) if email else None
        if org is None:
            continue
        expert = Expert(
            name=name,
            title=title,
            organization=org,
            user=user,
            email=email or f"expert{n}@demo.example.com",
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


def _packets(session: Session, campaign: Campaign, unit: Organization, code: str) -> None:
    submitted = datetime(campaign.year, 10, 28, 2, 0, tzinfo=UTC)
    for kind, name, extra in PACKETS[code]:
        team = kind is CategoryKind.TEAM
        fields = dict(extra)
        if team:
            fields["women_share"] = Decimal(
                round(100 * fields["women_count"] / fields["member_count"], 1)
            )
            fields["average_age"] = Decimal("35.5")
        demo_application(
            session,
            campaign,
            unit,
            kind,
            ApplicationState.ACCEPTED,
            submitted,
            team_name=name if team else None,
            person_name=None if team else name,
            service_content="窗口接待、咨询与售后服务",
            narrative="以“用户满意”为目标，推行首问负责、限时办结和回访制度。",
            **fields,
        )


def _score(session: Session, a: Assignment, step: int, lock: bool) -> None:
    """Scores that differ by expert and packet, in half points, within each maximum."""
    entries = {
        code: str(min(Decimal(base) + Decimal(step % 4) / 2 + (step % 3), _max(a, code)))
        for code, base in CRITERIA.items()
    }
    entries["praise_letter"] = str(step % 6)
    entries["complaint"] = "1" if step % 5 == 0 else "0"
    sheets.save_sheet(
        session, _as_expert(a.expert), a.expert, a.sheet, entries, comment="材料翔实，亮点突出。"
    )
    if lock:
        sheets.lock_sheet(session, _as_expert(a.expert), a.expert, a.sheet)


def _as_expert(expert: Expert) -> User:
    """Who locks a demo sheet: the expert's login, or for a demo expert without one an unsaved
    stand-in of role expert, so that locking stays the expert's own move in the workflow."""
    if expert.user is not None:
        return expert.user
    return User(name=expert.name, email=expert.email, role=Role.EXPERT)


def _max(a: Assignment, code: str) -> Decimal:
    return next(line.rubric_item.points for line in a.sheet.items if line.rubric_item.code == code)


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
    for name, code, unit_name in PANELS:
        unit = session.scalar(sa.select(Organization).where(Organization.name == unit_name))
        if unit is None or industries.get(code) not in campaign.industries:
            continue
        _packets(session, campaign, unit, code)
        members = [e for e in experts if industries[code] in e.industries]
        panel = Panel(
            campaign_id=campaign.id,
            industry=industries[code],
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
    return len(PANELS)
