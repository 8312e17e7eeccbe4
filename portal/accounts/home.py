"""What a person's home page shows: the work that waits on them, gathered from the packages
that hold it (each answers the home_work question of portal.signals for its roles), and the
year's timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal import signals
from portal.campaigns.models import Campaign
from portal.campaigns.service import current_campaign
from portal.campaigns.timeline import Step, timeline
from portal.clock import utcnow
from portal.roles import Role

# The roles whose home shows the year's timeline.
TIMELINE_ROLES = (Role.OFFICE, Role.ORGANIZER)


@dataclass
class Home:
    campaign: Campaign | None
    now: datetime
    parts: dict = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)


def gather(session: Session, user, now: datetime | None = None) -> Home:
    """The user's home: every package's answer for the user's role, merged by name."""
    now = now or utcnow()
    campaign = current_campaign(session)
    home = Home(campaign, now)
    for answer in signals.answers(
        signals.home_work, user.role, user=user, session=session, campaign=campaign, now=now
    ):
        home.parts.update(answer)
    if campaign is not None and user.role in TIMELINE_ROLES:
        home.steps = timeline(campaign, now, home.parts.get("notice_window"))
    return home


def time_left(deadline: datetime | None, now: datetime | None = None) -> str:
    """How long until the deadline, in days and hours (hours and minutes on the last day)."""
    if deadline is None:
        return ""
    seconds = int((deadline - (now or utcnow())).total_seconds())
    if seconds <= 0:
        return str(_l("closed"))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return str(_l("%(days)s d %(hours)s h left", days=days, hours=hours))
    return str(_l("%(hours)s h %(minutes)s min left", hours=hours, minutes=rest // 60))
