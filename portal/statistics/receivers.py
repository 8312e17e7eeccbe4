"""What the statistics package answers when another asks (portal.signals)."""

from __future__ import annotations

from portal import signals
from portal.roles import Role
from portal.statistics import rules, service


def subscribe() -> None:
    signals.home_work.connect(_channel_home, sender=Role.CHANNEL_REVIEWER)
    signals.home_work.connect(_office_home, sender=Role.OFFICE)


def _channel_home(_role, *, user, session, campaign, **_) -> dict | None:
    """The channel's own table as its statistics page finds it (None before the first save);
    it is due with the recommendations."""
    if campaign is None or not rules.can_file_statistics(user):
        return None
    return {"statistics_table": service.find_table(session, campaign, user.organization)}


def _office_home(_role, *, session, campaign, **_) -> dict | None:
    """The tables filed and the channels that filed none, from the summary page's own
    aggregation (the home names channels, not the rows' areas: `str` names them)."""
    if campaign is None:
        return None
    return {"statistics": service.aggregate(session, campaign, str)}
