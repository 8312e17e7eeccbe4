"""Models of the joint approval, the working-day calendar, the public notice and objections."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import labels
from portal.accounts.models import User
from portal.applications.models import Application
from portal.campaigns.models import Campaign
from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.files.models import StoredFile
from portal.organizations.models import Organization


class DayKind(enum.StrEnum):
    HOLIDAY = "holiday"  # 法定节假日: a weekday off
    WORKDAY = "workday"  # 调休: a weekend day worked


labels.declare(
    DayKind,
    {
        DayKind.HOLIDAY: _l("Holiday"),
        DayKind.WORKDAY: _l("Make-up working day"),
    },
)


class CalendarDay(Base):
    """A date the working-day calendar marks against the weekday rule (节假日 or 调休)."""

    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(sa.Date(), primary_key=True)
    kind: Mapped[DayKind] = mapped_column(enum_column(DayKind, "day_kind"))
    note: Mapped[str] = mapped_column(sa.String(100), default="")


class ApprovalRound(Base):
    """One request of the office to the four organizers to sign off (会签) the candidate list.

    The round is bound to the exact list it was opened on (`list_digest` of the sorted
    candidate ids, kept in `candidate_ids` and, to be looked up one by one, in RoundCandidate).
    A send-back closes it; a changed candidate set makes it void: the packets whose place
    differs from the round's list are kept in ListChange (portal.notice.kept), so that a page
    learns it without reading the list.
    """

    __tablename__ = "approval_round"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "number"),
        sa.CheckConstraint(
            "(closed_at IS NULL) = (closed_reason IS NULL)", name="closed_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    number: Mapped[int] = mapped_column()
    list_digest: Mapped[str] = mapped_column(sa.String(64))
    # The ids sent, for the record (the archive); deferred: no page of the round reads them.
    candidate_ids: Mapped[list[int]] = mapped_column(sa.JSON, deferred=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_reason: Mapped[str | None] = mapped_column(sa.Text)

    campaign: Mapped[Campaign] = relationship()
    signatures: Mapped[list[Signature]] = relationship(
        back_populates="round", order_by="Signature.id"
    )


class RoundCandidate(Base):
    """A packet on the list a round was opened on: the list its signatures are bound to."""

    __tablename__ = "approval_round_candidate"

    round_id: Mapped[int] = mapped_column(sa.ForeignKey("approval_round.id"), primary_key=True)
    # No foreign key: the record of what was sent outlives anything done to the packet.
    application_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class ListChange(Base):
    """A packet whose place on the candidate list differs from the list its campaign's latest
    round was opened on: one of the round's candidates now off the list, or a packet on the
    list that the round was not sent with. Any row voids the round (kept: portal.notice.kept).
    """

    __tablename__ = "approval_list_change"

    round_id: Mapped[int] = mapped_column(sa.ForeignKey("approval_round.id"), primary_key=True)
    # No foreign key: a packet taken off the list by deleting it still voids the round.
    application_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class SignatureDecision(enum.StrEnum):
    SIGNED = "signed"
    SENT_BACK = "sent_back"


labels.declare(
    SignatureDecision,
    {
        SignatureDecision.SIGNED: _l("Signed"),
        SignatureDecision.SENT_BACK: _l("Sent back"),
    },
)


class Signature(Base):
    """An organizer's sign-off of a round's list, or its send-back to the office with a reason."""

    __tablename__ = "approval_signature"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "organization_id"),
        sa.CheckConstraint(
            "decision = 'signed' OR length(reason) > 0", name="send_back_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("approval_round.id"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    decision: Mapped[SignatureDecision] = mapped_column(
        enum_column(SignatureDecision, "signature_decision")
    )
    list_digest: Mapped[str] = mapped_column(sa.String(64))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    round: Mapped[ApprovalRound] = relationship(back_populates="signatures")
    organization: Mapped[Organization] = relationship()
    user: Mapped[User | None] = relationship()


class PublicNotice(Base):
    """The public notice (公示) of a campaign's candidate list: one window of working days.

    `closes_at` is exclusive: the instant after 23:59:59 Asia/Shanghai of the last working day.
    """

    __tablename__ = "public_notice"
    __table_args__ = (sa.CheckConstraint("opens_at < closes_at", name="window_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), unique=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("approval_round.id"))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    working_days: Mapped[int] = mapped_column()
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when a candidate is withdrawn and the list is republished.
    revised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revision: Mapped[int] = mapped_column(default=0)
    # Objections accepted; raised under the row's lock, which orders parallel objections.
    objections_received: Mapped[int] = mapped_column(default=0)

    campaign: Mapped[Campaign] = relationship()
    round: Mapped[ApprovalRound] = relationship()

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


class ObjectionStatus(enum.StrEnum):
    """Moves between these are declared in portal/notice/workflow.py (OBJECTION_WORKFLOW)."""

    RECEIVED = "received"
    INVESTIGATING = "investigating"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


labels.declare(
    ObjectionStatus,
    {
        ObjectionStatus.RECEIVED: _l("Received"),
        ObjectionStatus.INVESTIGATING: _l("Under investigation"),
        ObjectionStatus.UPHELD: _l("Upheld"),
        ObjectionStatus.DISMISSED: _l("Dismissed"),
    },
)


DECIDED = (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED)


class Objection(Base):
    """Public-notice objection (异议) raised against a candidate, under the objector's real name."""

    __tablename__ = "objection"
    __table_args__ = (
        sa.UniqueConstraint("notice_id", "mobile", "application_id", "reason_digest"),
        sa.CheckConstraint(
            "(status IN ('upheld', 'dismissed')) = (decided_at IS NOT NULL)",
            name="decided_has_time",
        ),
        sa.CheckConstraint(
            "status NOT IN ('upheld', 'dismissed') OR length(reply) > 0",
            name="decided_has_reply",
        ),
        sa.Index("ix_objection_ip_created", "ip_address", "created_at"),
        sa.Index("ix_objection_mobile_created", "mobile", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(sa.ForeignKey("public_notice.id"), index=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), index=True)
    case_number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    mobile: Mapped[str] = mapped_column(sa.String(11))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    reason: Mapped[str] = mapped_column(sa.Text)
    # SHA-256 of the whitespace-normalised reason: the same objection sent twice is one case.
    reason_digest: Mapped[str] = mapped_column(sa.String(64))
    ip_address: Mapped[str] = mapped_column(sa.String(45), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[ObjectionStatus] = mapped_column(
        enum_column(ObjectionStatus, "objection_status"), default=ObjectionStatus.RECEIVED
    )
    investigator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    findings: Mapped[str] = mapped_column(sa.Text, default="")
    reply: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    lock_version: Mapped[int] = mapped_column(default=1)

    notice: Mapped[PublicNotice] = relationship()
    application: Mapped[Application] = relationship()
    investigator: Mapped[User | None] = relationship(foreign_keys=[investigator_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    files: Mapped[list[ObjectionFile]] = relationship(
        back_populates="objection", order_by="ObjectionFile.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def decided(self) -> bool:
        return self.status in DECIDED


class ObjectionFile(Base):
    """An evidence file attached to an objection."""

    __tablename__ = "objection_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    objection_id: Mapped[int] = mapped_column(
        sa.ForeignKey("objection.id", ondelete="CASCADE"), index=True
    )
    stored_file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id"))

    objection: Mapped[Objection] = relationship(back_populates="files")
    stored_file: Mapped[StoredFile] = relationship()


class ThrottleCounter(Base):
    """Requests of one kind from one key (an address, a case number) in one fixed window.

    Counted in the database so that every app server agrees; a request increments its row
    with one atomic upsert (portal/notice/throttle.py) and learns the new count at once.
    """

    __tablename__ = "throttle_counter"

    scope: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    hits: Mapped[int] = mapped_column(default=0)


# The notice's lists (notice/public.py, notice/rows.py): a campaign's packets in one state with
# the district and industry the public list counts and filters on. In the first, the list's
# counts per category, district and industry read the index alone in its order; in the
# second, a page's ids are read in the list's order (category, then id), the reading stopping
# at the page, however long the list.
sa.Index(
    "ix_application_notice_groups",
    Application.campaign_id,
    Application.state,
    Application.category_id,
    Application.district_id,
    Application.industry_id,
    Application.id,
)
sa.Index(
    "ix_application_notice_list",
    Application.campaign_id,
    Application.state,
    Application.category_id,
    Application.id,
    Application.district_id,
    Application.industry_id,
)
