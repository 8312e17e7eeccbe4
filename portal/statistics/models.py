"""The activity statistics table (创建活动信息统计表) a channel organization files per campaign."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import labels
from portal.accounts.models import User
from portal.campaigns.models import Campaign
from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.organizations.models import Organization


class StatisticsState(enum.StrEnum):
    DRAFT = "draft"  # being filled in (填写中)
    SUBMITTED = "submitted"  # filed with the office (已报送)
    RETURNED = "returned"  # sent back by the office for correction (退回修改)


labels.declare(
    StatisticsState,
    {
        StatisticsState.DRAFT: _l("Being filled in"),
        StatisticsState.SUBMITTED: _l("Submitted"),
        StatisticsState.RETURNED: _l("Returned for correction"),
    },
)


# The figures of the table, in the order of the paper form: (column, label).
COUNT_FIELDS: tuple[tuple[str, object], ...] = (
    ("enterprises", _l("Enterprises taking part")),
    ("teams_taking_part", _l("Teams taking part in the activity")),
    ("individuals_taking_part", _l("Individuals taking part")),
    ("training_sessions", _l("Training and learning sessions held")),
    ("people_trained", _l("People trained")),
    ("skill_events", _l("Skill competitions and exchanges held")),
    ("volunteer_activities", _l("Service-star volunteer activities held")),
    ("volunteers", _l("Volunteers")),
    ("teams_recommended", _l("Teams recommended")),
    ("individuals_recommended", _l("Individuals recommended")),
    ("recommended_women", _l("Of the recommended individuals: women")),
    ("recommended_young", _l("Of the recommended individuals: aged 35 or under")),
)
COUNT_NAMES = tuple(name for name, _label in COUNT_FIELDS)


def _count(name: str):
    return mapped_column(sa.Integer, default=0, name=name)


class ActivityStatistics(Base):
    """One recommending organization's figures for a campaign, filed once with the office."""

    __tablename__ = "activity_statistics"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "organization_id"),
        *(sa.CheckConstraint(f"{name} >= 0", name=f"{name}_non_negative") for name in COUNT_NAMES),
        sa.CheckConstraint(
            "recommended_women <= individuals_recommended", name="women_within_recommended"
        ),
        sa.CheckConstraint(
            "recommended_young <= individuals_recommended", name="young_within_recommended"
        ),
        sa.CheckConstraint("state = 'draft' OR submitted_at IS NOT NULL", name="filed_has_time"),
        sa.CheckConstraint(
            "state <> 'returned' OR return_reason IS NOT NULL", name="returned_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    state: Mapped[StatisticsState] = mapped_column(
        enum_column(StatisticsState, "statistics_state"), default=StatisticsState.DRAFT
    )
    lock_version: Mapped[int] = mapped_column(default=1)

    enterprises: Mapped[int] = _count("enterprises")
    teams_taking_part: Mapped[int] = _count("teams_taking_part")
    individuals_taking_part: Mapped[int] = _count("individuals_taking_part")
    training_sessions: Mapped[int] = _count("training_sessions")
    people_trained: Mapped[int] = _count("people_trained")
    skill_events: Mapped[int] = _count("skill_events")
    volunteer_activities: Mapped[int] = _count("volunteer_activities")
    volunteers: Mapped[int] = _count("volunteers")
    teams_recommended: Mapped[int] = _count("teams_recommended")
    individuals_recommended: Mapped[int] = _count("individuals_recommended")
    recommended_women: Mapped[int] = _count("recommended_women")
    recommended_young: Mapped[int] = _count("recommended_young")

    contact_name: Mapped[str] = mapped_column(sa.String(64), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(32), default="")
    report_date: Mapped[date | None] = mapped_column(sa.Date())

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    return_reason: Mapped[str | None] = mapped_column(sa.Text)

    campaign: Mapped[Campaign] = relationship()
    organization: Mapped[Organization] = relationship()
    submitted_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) or 0 for name in COUNT_NAMES}
