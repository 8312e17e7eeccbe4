"""Honours (荣誉称号) held for three years, and their dynamic management (动态管理):
inspections, complaints and revocation proposals the four organizers decide on."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from portal import labels
from portal.accounts.models import User
from portal.applications.models import Application
from portal.campaigns.models import Campaign, CampaignCategory
from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.files.models import StoredFile
from portal.organizations.models import District, Industry, Organization


class HonourStatus(enum.StrEnum):
    """Derived from the dates, never stored: see Honour.status_on and status_expression."""

    ACTIVE = "active"  # 有效
    EXPIRED = "expired"  # 已到期
    REVOKED = "revoked"  # 已撤销


labels.declare(
    HonourStatus,
    {
        HonourStatus.ACTIVE: _l("Active"),
        HonourStatus.EXPIRED: _l("Expired"),
        HonourStatus.REVOKED: _l("Revoked"),
    },
)


class Honour(Base):
    """The title of User Satisfaction Service Star held by a team or a person for three years."""

    __tablename__ = "honour"
    __table_args__ = (
        sa.CheckConstraint("valid_until > awarded_on", name="valid_after_award"),
        sa.CheckConstraint(
            "(revoked_at IS NULL AND revocation_reason IS NULL) OR "
            "(revoked_at IS NOT NULL AND revocation_reason IS NOT NULL)",
            name="revocation_has_reason",
        ),
        sa.Index("ix_honour_campaign_category", "campaign_id", "category_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), unique=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"))
    # The campaign's year, kept with the honour (_keep_campaign_years) so that the lists' order,
    # newest campaign first, is read along one index (ix_honour_list) without a join or a sort.
    campaign_year: Mapped[int]
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign_category.id"))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(sa.ForeignKey("district.id"))
    industry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("industry.id"))
    # Copied when awarded: what the certificate and the public pages show, whatever changes later.
    holder_name: Mapped[str] = mapped_column(sa.String(200))
    unit_name: Mapped[str] = mapped_column(sa.String(200))
    certificate_number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    verification_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    awarded_on: Mapped[date] = mapped_column(sa.Date())
    valid_until: Mapped[date] = mapped_column(sa.Date(), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revocation_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lock_version: Mapped[int] = mapped_column(default=1)

    application: Mapped[Application] = relationship()
    campaign: Mapped[Campaign] = relationship()
    category: Mapped[CampaignCategory] = relationship()
    organization: Mapped[Organization] = relationship()
    district: Mapped[District | None] = relationship()
    industry: Mapped[Industry | None] = relationship()
    inspections: Mapped[list[Inspection]] = relationship(
        back_populates="honour", order_by="Inspection.inspected_on.desc(), Inspection.id.desc()"
    )
    complaints: Mapped[list[Complaint]] = relationship(
        back_populates="honour", order_by="Complaint.received_on.desc(), Complaint.id.desc()"
    )
    proposals: Mapped[list[RevocationProposal]] = relationship(
        back_populates="honour", order_by="RevocationProposal.id.desc()"
    )
    # What was given with the title and whether it came back after a revocation (None: the
    # certificate alone, nothing else recorded).
    award: Mapped[HonourAward | None] = relationship(back_populates="honour")

    __mapper_args__ = {"version_id_col": lock_version}

    def status_on(self, today: date) -> HonourStatus:
        """The status on a Shanghai calendar day."""
        if self.revoked_at is not None:
            return HonourStatus.REVOKED
        if today > self.valid_until:
            return HonourStatus.EXPIRED
        return HonourStatus.ACTIVE

    @classmethod
    def status_expression(cls, today: date | sa.ColumnElement[date]):
        """The same rule in SQL, for list filters."""
        return sa.case(
            (cls.revoked_at.is_not(None), HonourStatus.REVOKED.value),
            (cls.valid_until < today, HonourStatus.EXPIRED.value),
            else_=HonourStatus.ACTIVE.value,
        )

    @classmethod
    def status_filter(cls, status: HonourStatus, today: date | sa.ColumnElement[date]):
        if status is HonourStatus.REVOKED:
            return cls.revoked_at.is_not(None)
        if status is HonourStatus.EXPIRED:
            return sa.and_(cls.revoked_at.is_(None), cls.valid_until < today)
        return sa.and_(cls.revoked_at.is_(None), cls.valid_until >= today)

    def __repr__(self) -> str:
        return f"<Honour {self.certificate_number}>"


# The honour lists' order (portal.honours.rows, service.list_honours): newest campaign first,
# then by certificate number.
LIST_ORDER = (Honour.campaign_year.desc(), Honour.certificate_number)
# The lists in that order with every column their filters test, so that a page is found along
# this index alone, from either end, and no honour is sorted or read whole before it.
sa.Index(
    "ix_honour_list",
    *LIST_ORDER,
    Honour.valid_until,
    Honour.revoked_at,
    Honour.category_id,
    Honour.industry_id,
    Honour.district_id,
)


@event.listens_for(Session, "after_flush")
def _keep_campaign_years(session: Session, _context) -> None:
    """A campaign whose year a flush changed (its settings change while it is a draft or
    open) moves its honours' kept year with it, in the same transaction."""
    for campaign in session.dirty:
        if isinstance(campaign, Campaign) and sa.inspect(campaign).attrs.year.history.deleted:
            session.connection().execute(
                sa.update(Honour)
                .where(Honour.campaign_id == campaign.id)
                .values(campaign_year=campaign.year)
            )
            for held in list(session.identity_map.values()):
                if isinstance(held, Honour) and held.campaign_id == campaign.id:
                    set_committed_value(held, "campaign_year", campaign.year)


class Inspection(Base):
    """An open or unannounced visit (暗访与检查) to an honour holder, with its findings."""

    __tablename__ = "honour_inspection"
    __table_args__ = (
        sa.CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    honour_id: Mapped[int] = mapped_column(sa.ForeignKey("honour.id"), index=True)
    inspected_on: Mapped[date] = mapped_column(sa.Date())
    unannounced: Mapped[bool] = mapped_column()
    inspector: Mapped[str] = mapped_column(sa.String(100))
    findings: Mapped[str] = mapped_column(sa.Text)
    score: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 1))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    honour: Mapped[Honour] = relationship(back_populates="inspections")
    created_by: Mapped[User | None] = relationship()
    files: Mapped[list[InspectionFile]] = relationship(
        back_populates="inspection", order_by="InspectionFile.id"
    )


class InspectionFile(Base):
    """Evidence of an inspection: photos, notes, recordings' transcripts."""

    __tablename__ = "honour_inspection_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("honour_inspection.id"), index=True)
    stored_file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id"))

    inspection: Mapped[Inspection] = relationship(back_populates="files")
    stored_file: Mapped[StoredFile] = relationship()


class Complaint(Base):
    """A complaint (投诉) about an honour holder, and whether the office verified it."""

    __tablename__ = "honour_complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    honour_id: Mapped[int] = mapped_column(sa.ForeignKey("honour.id"), index=True)
    received_on: Mapped[date] = mapped_column(sa.Date())
    source: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[str] = mapped_column(sa.Text)
    verified: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    honour: Mapped[Honour] = relationship(back_populates="complaints")


class ProposalState(enum.StrEnum):
    """Moves between these are declared in portal/honours/rules.py (REVOCATION_WORKFLOW)."""

    PROPOSED = "proposed"  # awaiting the organizers (待会签)
    APPROVED = "approved"  # all four organizers approved: the honour is revoked
    REFUSED = "refused"  # an organizer refused, with a reason
    WITHDRAWN = "withdrawn"  # the office took the proposal back


labels.declare(
    ProposalState,
    {
        ProposalState.PROPOSED: _l("Awaiting the organizers"),
        ProposalState.APPROVED: _l("Approved: title revoked"),
        ProposalState.REFUSED: _l("Refused"),
        ProposalState.WITHDRAWN: _l("Withdrawn"),
    },
)


class RevocationProposal(Base):
    """The office's proposal to revoke an honour (取消荣誉称号) after a serious breach."""

    __tablename__ = "honour_revocation_proposal"
    __table_args__ = (
        sa.CheckConstraint("(state = 'proposed') = (decided_at IS NULL)", name="decided_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    honour_id: Mapped[int] = mapped_column(sa.ForeignKey("honour.id"), index=True)
    state: Mapped[ProposalState] = mapped_column(
        enum_column(ProposalState, "revocation_state"), default=ProposalState.PROPOSED
    )
    reason: Mapped[str] = mapped_column(sa.Text)
    breach_on: Mapped[date] = mapped_column(sa.Date())
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lock_version: Mapped[int] = mapped_column(default=1)

    honour: Mapped[Honour] = relationship(back_populates="proposals")
    proposed_by: Mapped[User | None] = relationship()
    votes: Mapped[list[RevocationVote]] = relationship(
        back_populates="proposal", order_by="RevocationVote.id"
    )

    __mapper_args__ = {"version_id_col": lock_version}


class VoteDecision(enum.StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"


class RevocationVote(Base):
    """One organizer's answer to a revocation proposal; one per organizer organization."""

    __tablename__ = "honour_revocation_vote"
    __table_args__ = (
        sa.UniqueConstraint("proposal_id", "organization_id"),
        sa.CheckConstraint("decision = 'approve' OR length(reason) > 0", name="refusal_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("honour_revocation_proposal.id"))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    decision: Mapped[VoteDecision] = mapped_column(enum_column(VoteDecision, "vote_decision"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposal: Mapped[RevocationProposal] = relationship(back_populates="votes")
    organization: Mapped[Organization] = relationship()
    user: Mapped[User | None] = relationship()


class AwardRecovery(enum.StrEnum):
    """What became of the award after the title was revoked (收回奖励)."""

    RECOVERED = "recovered"  # 已收回
    NOT_RECOVERED = "not_recovered"  # 未能收回, with the office's note why


labels.declare(
    AwardRecovery,
    {
        AwardRecovery.RECOVERED: _l("Recovered"),
        AwardRecovery.NOT_RECOVERED: _l("Not recovered"),
    },
)


class HonourAward(Base):
    """The award given with a title (certificate, prize, bonus) and, after a revocation,
    whether it was recovered: when, by whom, with the office's note."""

    __tablename__ = "honour_award"
    __table_args__ = (
        sa.CheckConstraint("bonus_yuan IS NULL OR bonus_yuan >= 0", name="bonus_non_negative"),
        sa.CheckConstraint(
            "(recovery IS NULL AND recovered_on IS NULL) OR "
            "(recovery IS NOT NULL AND recovered_on IS NOT NULL AND length(recovered_by) > 0)",
            name="recovery_complete",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    honour_id: Mapped[int] = mapped_column(sa.ForeignKey("honour.id"), unique=True)
    certificate: Mapped[bool] = mapped_column(default=True)
    # A medal, a plaque or any other object handed over, as the office writes it.
    prize: Mapped[str] = mapped_column(sa.String(200), default="")
    bonus_yuan: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    recovery: Mapped[AwardRecovery | None] = mapped_column(
        enum_column(AwardRecovery, "award_recovery")
    )
    # The day the award came back (or the office concluded it would not), and who handled it.
    recovered_on: Mapped[date | None] = mapped_column(sa.Date())
    recovered_by: Mapped[str] = mapped_column(sa.String(100), default="")
    recovery_note: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    honour: Mapped[Honour] = relationship(back_populates="award")
    updated_by: Mapped[User | None] = relationship()
