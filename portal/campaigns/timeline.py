"""The year's timeline (年度进程): the campaign's stages in order, with their deadlines in
Beijing time, and which one the year is at now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from portal.campaigns.models import Campaign, CampaignStatus
from portal.clock import utcnow

STAGES = (
    ("apply", _l("Applications")),
    ("recommend", _l("Channel review and recommendation")),
    ("review", _l("Formal check and expert review")),
    ("approve", _l("Joint approval of the candidate list")),
    ("notice", _l("Public notice and objections")),
    ("honours", _l("Honours confirmed")),
)


@dataclass(frozen=True)
class Step:
    key: str
    name: object  # a lazy string
    starts: datetime | None
    ends: datetime | None
    state: str  # done, current or next


def current_stage(
    campaign: Campaign, now: datetime, notice_window: tuple[datetime, datetime] | None = None
) -> str:
    """The stage the year is at: by the campaign's deadlines, then by the public notice (the
    approval runs from the review deadline until the notice opens)."""
    if campaign.status in (CampaignStatus.CLOSED, CampaignStatus.ARCHIVED):
        return "honours"
    for key, deadline in (
        ("apply", campaign.application_deadline),
        ("recommend", campaign.recommendation_deadline),
        ("review", campaign.review_deadline),
    ):
        if now < deadline:
            return key
    if notice_window is None or now < notice_window[0]:
        return "approve"
    return "notice" if now < notice_window[1] else "honours"


def timeline(
    campaign: Campaign,
    now: datetime | None = None,
    notice_window: tuple[datetime, datetime] | None = None,
) -> list[Step]:
    """Every stage with its dates; the current one marked, those before it done."""
    now = now or utcnow()
    current = current_stage(campaign, now, notice_window)
    opens, closes = notice_window or (None, None)
    dates = {
        "apply": (None, campaign.application_deadline),
        "recommend": (campaign.application_deadline, campaign.recommendation_deadline),
        "review": (campaign.recommendation_deadline, campaign.review_deadline),
        "approve": (campaign.review_deadline, opens),
        "notice": (opens, closes),
        "honours": (closes, None),
    }
    keys = [key for key, _name in STAGES]
    at = keys.index(current)
    return [
        Step(key, name, *dates[key], "done" if i < at else "current" if i == at else "next")
        for i, (key, name) in enumerate(STAGES)
    ]
