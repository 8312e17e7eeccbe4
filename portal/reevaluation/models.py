"""A re-evaluation round and each holder's re-evaluation (复评), with the term it renewed."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import labels
from portal.accounts.models import User
from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.files.models import StoredFile
from portal.honours.models import Honour
from portal.organizations.models import Organization


class ReevaluationState(enum.StrEnum):
    """Moves between these are declared in portal/reevaluation/workflow.py."""

    OPEN = "open"  # the unit fills the form (待填报)
    AT_CHANNEL = "at_channel"  # the channel reviews (渠道审核)
    AT_OFFICE = "at_office"  # the office reviews (创建办审核)
    AT_ORGANIZERS = "at_organizers"  # the organizers decide (主办单位审定)
    RETURNED = "returned"  # sent back to the unit to correct (退回修改)
    RENEWED = "renewed"  # passed: the title runs three more years (通过，续期)
    LAPSED = "lapsed"  # not passed: the title lapses on its date (未通过，到期终止)


labels.declare(
    ReevaluationState,
    {
        ReevaluationState.OPEN: _l("Awaiting the unit's report"),
        ReevaluationState.AT_CHANNEL: _l("With the channel"),
        ReevaluationState.AT_OFFICE: _l("With the programme office"),
        ReevaluationState.AT_ORGANIZERS: _l("With the organizers"),
        ReevaluationState.RETURNED: _l("Returned to the unit"),
        ReevaluationState.RENEWED: _l("Passed: title renewed"),
        ReevaluationState.LAPSED: _l("Not passed: title lapses"),
    },
)

DECIDED = (ReevaluationState.RENEWED, ReevaluationState.LAPSED)


class ReevaluationRound(Base):
    """The office's call to the holders whose titles are in their third year (复评通知)."""

    __tablename__ = "reevaluation_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    # The units report by the end of this day, Beijing time.
    report_by: Mapped[date] = mapped_column(sa.Date())
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    opened_by: Mapped[User | None] = relationship()
    reevaluations: Mapped[list[Reevaluation]] = relationship(
        back_populates="round", order_by="Reevaluation.id"
    )


class Reevaluation(Base):
    """One holder's re-evaluation: the unit's report, the reviews, the decision and, when the
    title was renewed, the term it replaced (so the history shows both terms)."""

    __tablename__ = "reevaluation"
    __table_args__ = (
        # One re-evaluation per term of a title.
        sa.UniqueConstraint("honour_id", "term_ends_on"),
        sa.CheckConstraint(
            "(state IN ('renewed', 'lapsed')) = (decided_at IS NOT NULL)", name="decided_has_time"
        ),
        sa.CheckConstraint(
            "state <> 'renewed' OR (previous_certificate_number IS NOT NULL "
            "AND previous_verification_code IS NOT NULL AND previous_awarded_on IS NOT NULL)",
            name="renewal_keeps_previous_term",
        ),
        sa.CheckConstraint(
            "satisfaction_rate IS NULL OR (satisfaction_rate >= 0 AND satisfaction_rate <= 100)",
            name="satisfaction_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("reevaluation_round.id"), index=True)
    honour_id: Mapped[int] = mapped_column(sa.ForeignKey("honour.id"), index=True)
    state: Mapped[ReevaluationState] = mapped_column(
        enum_column(ReevaluationState, "reevaluation_state"), default=ReevaluationState.OPEN
    )
    # The last day of the term under re-evaluation: a lapsed title ends that day.
    term_ends_on: Mapped[date] = mapped_column(sa.Date())
    # The unit's report.
    changes: Mapped[str] = mapped_column(sa.Text, default="")
    surveys: Mapped[str] = mapped_column(sa.Text, default="")
    staff_count: Mapped[int | None] = mapped_column()
    satisfaction_rate: Mapped[Decimal | None] = mapped_column(sa.Numeric(4, 1))
    complaints: Mapped[int | None] = mapped_column()
    stored_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_file.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The reviews and the decision (each move's words are also in its audit entry).
    channel_opinion: Mapped[str] = mapped_column(sa.Text, default="")
    office_opinion: Mapped[str] = mapped_column(sa.Text, default="")
    return_reason: Mapped[str] = mapped_column(sa.Text, default="")
    decision_reason: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The term the renewal replaced; the honour row carries the new one.
    previous_certificate_number: Mapped[str | None] = mapped_column(sa.String(32))
    previous_verification_code: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    previous_awarded_on: Mapped[date | None] = mapped_column(sa.Date())
    lock_version: Mapped[int] = mapped_column(default=1)

    round: Mapped[ReevaluationRound] = relationship(back_populates="reevaluations")
    honour: Mapped[Honour] = relationship()
    stored_file: Mapped[StoredFile | None] = relationship()
    votes: Mapped[list[ReevaluationVote]] = relationship(
        back_populates="reevaluation", order_by="ReevaluationVote.id"
    )

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def renewed(self) -> bool:
        return self.state is ReevaluationState.RENEWED


class VoteDecision(enum.StrEnum):
    RENEW = "renew"
    LAPSE = "lapse"


labels.declare(
    VoteDecision,
    {VoteDecision.RENEW: _l("Renew"), VoteDecision.LAPSE: _l("Let lapse")},
)


class ReevaluationVote(Base):
    """One organizer's answer (会签): all four must renew; any one may let the title lapse,
    giving a reason."""

    __tablename__ = "reevaluation_vote"
    __table_args__ = (
        sa.UniqueConstraint("reevaluation_id", "organization_id"),
        sa.CheckConstraint("decision = 'renew' OR length(reason) > 0", name="lapse_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reevaluation_id: Mapped[int] = mapped_column(sa.ForeignKey("reevaluation.id"))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    decision: Mapped[VoteDecision] = mapped_column(
        enum_column(VoteDecision, "reevaluation_vote_decision")
    )
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    reevaluation: Mapped[Reevaluation] = relationship(back_populates="votes")
    organization: Mapped[Organization] = relationship()
