"""Decisions of the review chain (渠道审核): one opinion per stage per submitted version."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import labels
from portal.accounts.models import User
from portal.applications.models import Application
from portal.campaigns.models import ReviewStage
from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.organizations.models import Organization


class Decision(enum.StrEnum):
    """What a stage decided on a version; the workflow move it fires is in review/service.py."""

    FORWARD = "forward"  # channel stage: recommend on (同意推荐)
    RETURN = "return"  # channel stage: back to the enterprise for revision (退回修改)
    NOT_RECOMMEND = "not_recommend"  # channel stage: stops here (不予推荐)
    ACCEPT = "accept"  # office formal check passed (形式审查通过)
    REJECT = "reject"  # office formal check failed (形式审查未通过)
    COMPLETION = "completion"  # office formal check: back for completion (退回补正)


labels.declare(
    Decision,
    {
        Decision.FORWARD: _l("Forwarded"),
        Decision.RETURN: _l("Returned for revision"),
        Decision.NOT_RECOMMEND: _l("Not recommended"),
        Decision.ACCEPT: _l("Passed the formal check"),
        Decision.REJECT: _l("Did not pass the formal check"),
        Decision.COMPLETION: _l("Returned for completion"),
    },
)


# The usual gaps the office finds at the formal check, offered as a checklist.
MISSING_ITEMS: dict[str, object] = {
    "sealed_form": _l("The sealed and signed application form (scan) is missing or unreadable"),
    "unit_opinion": _l("The unit's opinion or its seal is missing"),
    "evidence": _l("Evidentiary material for the stated service figures is missing"),
    "survey": _l("The customer evaluation surveys are missing or too few"),
    "photo": _l("Photographs are missing or unclear"),
    "members": _l("The member list is incomplete (names, posts or ID numbers)"),
    "figures": _l("The figures in the form do not match the evidence"),
    "honours": _l("Certificates of the honours listed are missing"),
}


def item_labels(keys: list[str]) -> list[str]:
    return [str(MISSING_ITEMS[k]) for k in keys if k in MISSING_ITEMS]


CHANNEL_DECISIONS = (Decision.FORWARD, Decision.RETURN, Decision.NOT_RECOMMEND)
OFFICE_DECISIONS = (Decision.ACCEPT, Decision.REJECT)
NEEDS_REASON = (Decision.RETURN, Decision.NOT_RECOMMEND, Decision.REJECT)


class StageDecision(Base):
    """A stage's opinion on one submitted version of a packet (审核意见)."""

    __tablename__ = "stage_decision"
    __table_args__ = (
        # A stage decides once on a version; a second reviewer of the same stage is refused.
        sa.UniqueConstraint("application_id", "version_number", "stage_id"),
        # A return for completion may consist of checklist items alone (missing_items).
        sa.CheckConstraint(
            "decision IN ('forward', 'accept', 'completion') OR length(trim(opinion)) > 0",
            name="reason_given",
        ),
        sa.CheckConstraint(
            "decision <> 'completion' OR due_at IS NOT NULL", name="completion_has_due_date"
        ),
        sa.Index("ix_stage_decision_app_version", "application_id", "version_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"))
    version_number: Mapped[int] = mapped_column()
    # None only for a formal check in a campaign whose chain has no office stage.
    stage_id: Mapped[int | None] = mapped_column(sa.ForeignKey("review_stage.id"))
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"))
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    decision: Mapped[Decision] = mapped_column(enum_column(Decision, "stage_decision_kind"))
    opinion: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A return for completion (补正): the checklist keys of what is missing
    # (portal/review/completion.py) and when the completed packet is due.
    missing_items: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    application: Mapped[Application] = relationship()
    stage: Mapped[ReviewStage | None] = relationship()
    organization: Mapped[Organization | None] = relationship()
    reviewer: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<StageDecision {self.application_id} v{self.version_number} {self.decision}>"


# A campaign's packets of a state in the order of submission, with every column the routing
# filters on, so that a list of them (the ranking, recommendations/ranking.py) walks the index from
# the oldest and stops at a page's worth. The review queue reads its own kept rows instead
# (review/queue_kept.py).
sa.Index(
    "ix_application_queue",
    Application.campaign_id,
    Application.state,
    Application.submitted_at,
    Application.id,
    Application.district_id,
    Application.industry_id,
    Application.stage_position,
    Application.category_id,
)

# Routing (review/routing.py) looks the channel organizations of one system up in every queue,
# ranking and count: among thousands of enterprises, a handful of rows.
sa.Index("ix_organization_channel", Organization.system, Organization.channel_level)
