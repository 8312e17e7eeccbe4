"""What the public-notice package answers when another package asks (portal.signals)."""

from __future__ import annotations

import sqlalchemy as sa

from portal import signals
from portal.notice import objections, service
from portal.notice.models import ObjectionStatus, PublicNotice
from portal.roles import Role


def subscribe() -> None:
    signals.published_notice.connect(_published_notice)
    signals.home_work.connect(_organizer_home, sender=Role.ORGANIZER)
    signals.home_work.connect(_office_home, sender=Role.OFFICE)
    signals.home_work.connect(_notice_window, sender=Role.OFFICE)
    signals.home_work.connect(_notice_window, sender=Role.ORGANIZER)


def _organizer_home(_role, *, user, session, **_) -> dict:
    return {"awaiting_signature": service.lists_awaiting_signature(session, user)}


def _office_home(_role, *, session, campaign, **_) -> dict | None:
    """The objections not yet decided, as the objection list filters them by status."""
    if campaign is None:
        return None
    return {
        "objections": {
            status: objections.list_objections(session, campaign.id, status)
            for status in (ObjectionStatus.RECEIVED, ObjectionStatus.INVESTIGATING)
        }
    }


def _notice_window(_role, *, session, campaign, **_) -> dict | None:
    """The public notice's window, for the year's timeline."""
    notice = service.get_notice(session, campaign) if campaign is not None else None
    if notice is None:
        return None
    return {"notice": notice, "notice_window": (notice.opens_at, notice.closes_at)}


def _published_notice(campaign_id: int, *, session, **_) -> PublicNotice | None:
    return session.scalar(sa.select(PublicNotice).where(PublicNotice.campaign_id == campaign_id))
