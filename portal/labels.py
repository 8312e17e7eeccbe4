"""Display names of the portal's enumerations, translated."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from portal.accounts.models import Role
from portal.applications.models import ApplicationState, FileCategory
from portal.balance import AgeBand
from portal.campaigns.models import (
    AggregationMethod,
    CampaignStatus,
    CategoryKind,
    RubricKind,
    StageSystem,
)
from portal.honours.models import HonourStatus, ProposalState
from portal.notice.models import DayKind, ObjectionStatus, SignatureDecision
from portal.organizations.models import ChannelLevel, OrgKind, OrgSystem, UnitNature
from portal.review.models import Decision
from portal.scoring.models import AssignmentStatus, SheetStatus, WithdrawalKind
from portal.statistics.models import StatisticsState

# Pairs, not a dict literal: StrEnum members of different classes with the same value
# (CampaignStatus.DRAFT, ApplicationState.DRAFT) are equal and would overwrite each other.
_PAIRS: list[tuple[enum.Enum, object]] = [
    (Role.ENTERPRISE, _l("Enterprise user")),
    (Role.CHANNEL_REVIEWER, _l("Channel reviewer")),
    (Role.OFFICE, _l("Programme office")),
    (Role.ORGANIZER, _l("Organizer approver")),
    (Role.EXPERT, _l("Expert")),
    (Role.ADMIN, _l("System administrator")),
    (OrgKind.ORGANIZER, _l("Organizer")),
    (OrgKind.OFFICE, _l("Programme office")),
    (OrgKind.CHANNEL, _l("Channel organization")),
    (OrgKind.ENTERPRISE, _l("Enterprise")),
    (OrgKind.OTHER, _l("Other organization")),
    (OrgSystem.UNION, _l("Trade union")),
    (OrgSystem.YOUTH, _l("Youth league")),
    (OrgSystem.WOMEN, _l("Women's federation")),
    (OrgSystem.QUALITY, _l("Quality association")),
    (StageSystem.UNION, _l("Trade union")),
    (StageSystem.YOUTH, _l("Youth league")),
    (StageSystem.WOMEN, _l("Women's federation")),
    (StageSystem.QUALITY, _l("Quality association")),
    (StageSystem.OFFICE, _l("Programme office")),
    (ChannelLevel.DISTRICT, _l("District")),
    (ChannelLevel.INDUSTRY, _l("Industry, bureau or group")),
    (UnitNature.STATE_OWNED, _l("State-owned")),
    (UnitNature.STATE_CONTROLLED, _l("State-controlled")),
    (UnitNature.PUBLIC_INSTITUTION, _l("Public institution")),
    (UnitNature.SOCIAL_ORGANIZATION, _l("Social organization")),
    (UnitNature.PRIVATE, _l("Private")),
    (UnitNature.OTHER, _l("Other")),
    (CampaignStatus.DRAFT, _l("Draft")),
    (CampaignStatus.OPEN, _l("Open")),
    (CampaignStatus.CLOSED, _l("Closed")),
    (CampaignStatus.ARCHIVED, _l("Archived")),
    (CategoryKind.TEAM, _l("Team")),
    (CategoryKind.INDIVIDUAL, _l("Individual")),
    (RubricKind.CRITERION, _l("Criterion")),
    (RubricKind.BONUS, _l("Bonus")),
    (RubricKind.DEDUCTION, _l("Deduction")),
    (AggregationMethod.MEAN, _l("Mean of all experts")),
    (AggregationMethod.TRIMMED_MEAN, _l("Mean without the highest and lowest (five or more)")),
    (AggregationMethod.Z_SCORE, _l("Mean of standardized scores (z-score)")),
    (ApplicationState.DRAFT, _l("Draft")),
    (ApplicationState.SUBMITTED, _l("Submitted")),
    (ApplicationState.RETURNED, _l("Returned for revision")),
    (ApplicationState.NOT_RECOMMENDED, _l("Not recommended")),
    (ApplicationState.CHANNEL_APPROVED, _l("Passed channel review")),
    (ApplicationState.RECOMMENDED, _l("Recommended")),
    (ApplicationState.REJECTED, _l("Rejected at formal check")),
    (ApplicationState.ACCEPTED, _l("In expert review")),
    (ApplicationState.CANDIDATE, _l("Candidate")),
    (ApplicationState.NOT_SELECTED, _l("Not selected")),
    (ApplicationState.DISQUALIFIED, _l("Disqualified")),
    (ApplicationState.AWARDED, _l("Awarded")),
    (FileCategory.SEALED_FORM, _l("Sealed application form (scan)")),
    (FileCategory.INTRODUCTION, _l("Introductory material")),
    (FileCategory.EVIDENCE, _l("Evidentiary material")),
    (FileCategory.SURVEY, _l("Customer evaluation surveys")),
    (FileCategory.PHOTO, _l("Photo")),
    (AgeBand.UP_TO_35, _l("35 or under")),
    (AgeBand.FROM_36_TO_45, _l("36 to 45")),
    (AgeBand.FROM_46_TO_55, _l("46 to 55")),
    (AgeBand.OVER_55, _l("Over 55")),
    (AgeBand.UNKNOWN, _l("Age not given")),
    (HonourStatus.ACTIVE, _l("Active")),
    (HonourStatus.EXPIRED, _l("Expired")),
    (HonourStatus.REVOKED, _l("Revoked")),
    (ProposalState.PROPOSED, _l("Awaiting the organizers")),
    (ProposalState.APPROVED, _l("Approved: title revoked")),
    (ProposalState.REFUSED, _l("Refused")),
    (ProposalState.WITHDRAWN, _l("Withdrawn")),
    (ObjectionStatus.RECEIVED, _l("Received")),
    (ObjectionStatus.INVESTIGATING, _l("Under investigation")),
    (ObjectionStatus.UPHELD, _l("Upheld")),
    (ObjectionStatus.DISMISSED, _l("Dismissed")),
    (SignatureDecision.SIGNED, _l("Signed")),
    (SignatureDecision.SENT_BACK, _l("Sent back")),
    (DayKind.HOLIDAY, _l("Holiday")),
    (DayKind.WORKDAY, _l("Make-up working day")),
    (Decision.FORWARD, _l("Forwarded")),
    (Decision.RETURN, _l("Returned for revision")),
    (Decision.NOT_RECOMMEND, _l("Not recommended")),
    (Decision.ACCEPT, _l("Passed the formal check")),
    (Decision.REJECT, _l("Did not pass the formal check")),
    (AssignmentStatus.ACTIVE, _l("Scoring")),
    (AssignmentStatus.RESERVE, _l("Reserve")),
    (AssignmentStatus.WITHDRAWN, _l("Withdrawn, awaiting reassignment")),
    (AssignmentStatus.RELEASED, _l("Reassigned")),
    (WithdrawalKind.CONFLICT, _l("Conflict of interest")),
    (WithdrawalKind.ABSTAIN, _l("Abstention")),
    (SheetStatus.DRAFT, _l("Draft")),
    (SheetStatus.LOCKED, _l("Locked")),
    (StatisticsState.DRAFT, _l("Being filled in")),
    (StatisticsState.SUBMITTED, _l("Submitted")),
    (StatisticsState.RETURNED, _l("Returned for correction")),
]
LABELS: dict[tuple[type, str], object] = {(type(m), m.value): text for m, text in _PAIRS}


def label(member: enum.Enum | None) -> str:
    if member is None:
        return ""
    return str(LABELS.get((type(member), member.value), member.value))


def choices(enum_cls: type[enum.Enum]) -> list[tuple[str, str]]:
    return [(m.value, label(m)) for m in enum_cls]
