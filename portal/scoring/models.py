"""Expert review (专家评审): the expert pool, panels, assignments, pledges and score sheets."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import labels
from portal.accounts.models import User
from portal.applications.models import Application
from portal.campaigns.models import Campaign, RubricItem
from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.organizations.models import Industry, Organization

POINTS = sa.Numeric(7, 2)

expert_industry = sa.Table(
    "expert_industry",
    Base.metadata,
    sa.Column("expert_id", sa.ForeignKey("expert.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("industry_id", sa.ForeignKey("industry.id"), primary_key=True),
)

panel_member = sa.Table(
    "panel_member",
    Base.metadata,
    sa.Column("panel_id", sa.ForeignKey("panel.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("expert_id", sa.ForeignKey("expert.id"), primary_key=True),
)


class Expert(Base):
    """An industry expert (行业专家) of the office's pool; may have a login of role EXPERT."""

    __tablename__ = "expert"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    # The expert's home institution: decides conflicts of interest.
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(100), default="")
    mobile: Mapped[str | None] = mapped_column(sa.String(11))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    active: Mapped[bool] = mapped_column(default=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id"), unique=True, index=True
    )
    lock_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organization: Mapped[Organization] = relationship()
    user: Mapped[User | None] = relationship()
    industries: Mapped[list[Industry]] = relationship(
        secondary=expert_industry, order_by=Industry.position
    )

    __mapper_args__ = {"version_id_col": lock_version}

    def __repr__(self) -> str:
        return f"<Expert {self.id} {self.name}>"


class Panel(Base):
    """An expert panel (评审组) of a campaign for one industry, with a leader from its members."""

    __tablename__ = "panel"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "industry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    industry_id: Mapped[int] = mapped_column(sa.ForeignKey("industry.id"))
    name: Mapped[str] = mapped_column(sa.String(100))
    leader_id: Mapped[int | None] = mapped_column(sa.ForeignKey("expert.id"))
    lock_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    campaign: Mapped[Campaign] = relationship()
    industry: Mapped[Industry] = relationship()
    leader: Mapped[Expert | None] = relationship(foreign_keys=[leader_id])
    members: Mapped[list[Expert]] = relationship(secondary=panel_member, order_by=Expert.id)

    __mapper_args__ = {"version_id_col": lock_version}


class Pledge(Base):
    """The confidentiality and impartiality pledge (承诺书) an expert accepted for a campaign."""

    __tablename__ = "pledge"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "expert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id", ondelete="CASCADE"))
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("expert.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)  # the wording accepted, kept as it was
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    expert: Mapped[Expert] = relationship()


class AssignmentStatus(enum.StrEnum):
    ACTIVE = "active"  # the expert scores this packet
    RESERVE = "reserve"  # kept aside; takes over when an active expert withdraws
    WITHDRAWN = "withdrawn"  # the expert declared a conflict or abstained; awaits reassignment
    RELEASED = "released"  # the office reassigned the packet to someone else


labels.declare(
    AssignmentStatus,
    {
        AssignmentStatus.ACTIVE: _l("Scoring"),
        AssignmentStatus.RESERVE: _l("Reserve"),
        AssignmentStatus.WITHDRAWN: _l("Withdrawn, awaiting reassignment"),
        AssignmentStatus.RELEASED: _l("Reassigned"),
    },
)


class WithdrawalKind(enum.StrEnum):
    CONFLICT = "conflict"  # declared conflict of interest (利益冲突)
    ABSTAIN = "abstain"  # abstention (回避)


labels.declare(
    WithdrawalKind,
    {
        WithdrawalKind.CONFLICT: _l("Conflict of interest"),
        WithdrawalKind.ABSTAIN: _l("Abstention"),
    },
)


class Assignment(Base):
    """One expert's assignment to one accepted packet within a panel."""

    __tablename__ = "assignment"
    __table_args__ = (
        sa.UniqueConstraint("application_id", "expert_id"),
        sa.CheckConstraint(
            "status <> 'withdrawn' OR withdrawal_kind IS NOT NULL", name="withdrawn_has_kind"
        ),
        sa.CheckConstraint(
            "withdrawal_kind IS NULL OR status IN ('withdrawn', 'released')",
            name="kind_only_when_withdrawn",
        ),
        sa.CheckConstraint(
            "withdrawal_kind IS NULL OR (withdrawn_at IS NOT NULL AND withdrawal_reason <> '')",
            name="withdrawal_has_reason",
        ),
        # The expert's list: counted per campaign and status, and paged by packet within a
        # campaign, on the index alone (portal.scoring.progress.expert_work).
        sa.Index(
            "ix_assignment_expert_list", "expert_id", "campaign_id", "application_id", "status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    panel_id: Mapped[int] = mapped_column(sa.ForeignKey("panel.id"), index=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), index=True)
    # Indexed first in ix_assignment_expert_list.
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("expert.id"))
    status: Mapped[AssignmentStatus] = mapped_column(
        enum_column(AssignmentStatus, "assignment_status"), default=AssignmentStatus.ACTIVE
    )
    withdrawal_kind: Mapped[WithdrawalKind | None] = mapped_column(
        enum_column(WithdrawalKind, "withdrawal_kind")
    )
    withdrawal_reason: Mapped[str] = mapped_column(sa.Text, default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lock_version: Mapped[int] = mapped_column(default=1)

    panel: Mapped[Panel] = relationship()
    application: Mapped[Application] = relationship()
    expert: Mapped[Expert] = relationship()
    sheet: Mapped[ScoreSheet | None] = relationship(back_populates="assignment", uselist=False)

    __mapper_args__ = {"version_id_col": lock_version}


class SheetStatus(enum.StrEnum):
    DRAFT = "draft"  # being filled in; only its expert sees it
    LOCKED = "locked"  # final; changes only after the office reopens it


labels.declare(
    SheetStatus,
    {
        SheetStatus.DRAFT: _l("Draft"),
        SheetStatus.LOCKED: _l("Locked"),
    },
)


class ScoreSheet(Base):
    """An expert's score sheet (评分表) for one packet, item by item on the campaign's rubric.

    total = criteria + bonus - deductions; bonus lies outside the 100 points."""

    __tablename__ = "score_sheet"
    __table_args__ = (
        sa.CheckConstraint("(status = 'locked') = (locked_at IS NOT NULL)", name="locked_has_time"),
        sa.UniqueConstraint("application_id", "expert_id"),
        # The expert's locked sheets, counted per campaign on the index alone.
        sa.Index("ix_score_sheet_expert_status", "expert_id", "status", "campaign_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignment.id", ondelete="CASCADE"), unique=True
    )
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), index=True)
    # Indexed first in ix_score_sheet_expert_status.
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("expert.id"))
    status: Mapped[SheetStatus] = mapped_column(
        enum_column(SheetStatus, "sheet_status"), default=SheetStatus.DRAFT
    )
    criteria_points: Mapped[Decimal] = mapped_column(POINTS, default=Decimal("0"))
    bonus_points: Mapped[Decimal] = mapped_column(POINTS, default=Decimal("0"))
    deduction_points: Mapped[Decimal] = mapped_column(POINTS, default=Decimal("0"))
    total: Mapped[Decimal] = mapped_column(POINTS, default=Decimal("0"))
    comment: Mapped[str] = mapped_column(sa.Text, default="")  # review opinion (评审意见)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reopen_count: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    lock_version: Mapped[int] = mapped_column(default=1)

    assignment: Mapped[Assignment] = relationship(back_populates="sheet")
    campaign: Mapped[Campaign] = relationship()
    application: Mapped[Application] = relationship()
    expert: Mapped[Expert] = relationship()
    items: Mapped[list[ScoreItem]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan", order_by="ScoreItem.position"
    )

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def locked(self) -> bool:
        return self.status is SheetStatus.LOCKED


class ScoreItem(Base):
    """One rubric line of a sheet: the score of a criterion, or the count of a bonus or
    deduction item; `points` is what the line adds (criterion, bonus) or takes off."""

    __tablename__ = "score_item"
    __table_args__ = (
        sa.UniqueConstraint("sheet_id", "rubric_item_id"),
        sa.CheckConstraint("score IS NULL OR score >= 0", name="score_non_negative"),
        sa.CheckConstraint("count IS NULL OR count >= 0", name="count_non_negative"),
        sa.CheckConstraint("points >= 0", name="points_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        sa.ForeignKey("score_sheet.id", ondelete="CASCADE"), index=True
    )
    rubric_item_id: Mapped[int] = mapped_column(sa.ForeignKey("rubric_item.id"))
    position: Mapped[int] = mapped_column(default=0)
    score: Mapped[Decimal | None] = mapped_column(POINTS)  # criterion: 0..max in steps of 0.5
    count: Mapped[int | None] = mapped_column()  # bonus or deduction: times it applies
    points: Mapped[Decimal] = mapped_column(POINTS, default=Decimal("0"))

    sheet: Mapped[ScoreSheet] = relationship(back_populates="items")
    rubric_item: Mapped[RubricItem] = relationship()
