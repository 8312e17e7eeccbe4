"""Survey tables: the campaign's settings, a packet's survey, its answers, and the networks an
enterprise logs in from (to flag answers sent from them)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.applications.models import Application, ApplicationFile
from portal.campaigns.models import Campaign
from portal.db import Base, UTCDateTime, utcnow


class SurveySettings(Base):
    """The office's survey of one campaign: questions, window, paper batches, limits. The minimum
    of answers is each category's (CampaignCategory.min_surveys, 30 team / 20 individual)."""

    __tablename__ = "survey_settings"
    __table_args__ = (
        sa.CheckConstraint("paper_batch_answers >= 0", name="paper_batch"),
        sa.CheckConstraint(
            "address_limit_per_hour > 0 AND survey_limit_per_minute > 0", name="limits"
        ),
        sa.CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR opens_at < closes_at", name="window"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), unique=True)
    # [{"key": "attitude", "zh": ..., "en": ...}], each a five-point item (5 = 很满意).
    questions: Mapped[list[dict]] = mapped_column(sa.JSON)
    # Answers count from opens_at (None: from the start) until closes_at (None: the campaign's
    # application deadline).
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A scanned paper batch (an upload in the packet's survey slot) counts as this many
    # answers, the figure the reviewers settled on; 0: paper cannot stand in.
    paper_batch_answers: Mapped[int] = mapped_column(default=0)
    # Rate limits, counted in the database (portal/notice/throttle.py).
    address_limit_per_hour: Mapped[int] = mapped_column(default=20)
    survey_limit_per_minute: Mapped[int] = mapped_column(default=60)

    campaign: Mapped[Campaign] = relationship()


class Survey(Base):
    """One packet's online survey: the token of its short link, and the unit's opening hours."""

    __tablename__ = "survey"
    __table_args__ = (sa.CheckConstraint("opens_minute < closes_minute", name="opening_hours"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), unique=True)
    token: Mapped[str] = mapped_column(sa.String(16), unique=True)
    # The service window's opening hours, minutes after midnight in Beijing time.
    opens_minute: Mapped[int] = mapped_column(default=8 * 60 + 30)
    closes_minute: Mapped[int] = mapped_column(default=17 * 60 + 30)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    application: Mapped[Application] = relationship()
    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="survey", order_by="SurveyAnswer.id"
    )


class SurveyAnswer(Base):
    """One customer's answer. Kept whatever its flags; no one edits or deletes it."""

    __tablename__ = "survey_answer"
    __table_args__ = (
        # One answer per device per survey, held by the database under parallel requests.
        sa.UniqueConstraint("survey_id", "device"),
        sa.Index("ix_survey_answer_survey_time", "survey_id", "created_at"),
        # The answers from one address, and those of one pattern lately: counted for their
        # flags as each answer arrives (portal/survey/flags.py), each from its own rows.
        sa.Index("ix_survey_answer_survey_address", "survey_id", "address"),
        sa.Index("ix_survey_answer_survey_pattern", "survey_id", "pattern", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("survey.id"))
    device: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    scores: Mapped[dict] = mapped_column(sa.JSON)  # {"attitude": 5, ...}
    overall: Mapped[int] = mapped_column()
    pattern: Mapped[str] = mapped_column(sa.String(64))  # the scores in question order
    recommend: Mapped[bool | None] = mapped_column()
    suggestion: Mapped[str] = mapped_column(sa.Text, default="")
    # Optional, for the office only; never shown to the enterprise.
    contact: Mapped[str] = mapped_column(sa.String(100), default="")
    address: Mapped[str] = mapped_column(sa.String(64), default="")
    seconds_taken: Mapped[int | None] = mapped_column()
    # [{"code": "burst", "evidence": {...}}]; empty when nothing looked wrong.
    flags: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)

    survey: Mapped[Survey] = relationship(back_populates="answers")


class LoginNetwork(Base):
    """A network (an IPv4 /24 or an IPv6 /48) an enterprise's users have logged in from."""

    __tablename__ = "survey_login_network"

    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), primary_key=True)
    network: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BatchCount(Base):
    """A reviewer's count of the filled-in surveys in one scanned paper batch (an upload in the
    packet's survey slot): the answers the batch stands in for, up to the campaign's figure.
    One row a batch; a later count replaces it, and the audit trail keeps each."""

    __tablename__ = "survey_batch_count"
    __table_args__ = (sa.CheckConstraint("counted BETWEEN 0 AND 10000", name="counted"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The batch goes with its count when the unit takes the scan out of the packet.
    application_file_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application_file.id", ondelete="CASCADE"), unique=True
    )
    counted: Mapped[int] = mapped_column()
    counted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    batch: Mapped[ApplicationFile] = relationship()
    counted_by: Mapped[User] = relationship()


class FrozenFigures(Base):
    """The survey's figures as they stood when a version of the packet was submitted."""

    __tablename__ = "survey_frozen_figures"

    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application_version.id", ondelete="CASCADE"), primary_key=True
    )
    figures: Mapped[dict] = mapped_column(sa.JSON)
