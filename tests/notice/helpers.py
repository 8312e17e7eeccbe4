"""Build campaigns with candidates, the four organizers, signed lists and open notices."""

from __future__ import annotations

from datetime import datetime

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.campaigns.models import CategoryKind
from portal.db import get_session
from portal.notice import service
from portal.notice.service import ORGANIZER_SYSTEMS
from portal.organizations.models import OrgKind
from tests.factories import make_application, make_campaign, make_org, make_user, shanghai

SYSTEM_NAMES = {
    "quality": "市质量协会",
    "union": "市总工会",
    "youth": "团市委",
    "women": "市妇联",
}


def four_organizers() -> dict:
    """An organizer organization of each system with one ORGANIZER user each: {system: user}."""
    users = {}
    for system in ORGANIZER_SYSTEMS:
        org = service.organizers(get_session()).get(system)
        if org is None:
            org = make_org(OrgKind.ORGANIZER, system=system, name=SYSTEM_NAMES[system.value])
        users[system] = make_user(Role.ORGANIZER, organization=org)
    return users


def with_candidates(n: int = 3, year: int = 2026, campaign=None):
    """A campaign with n candidates, alternating teams and individuals."""
    campaign = campaign or make_campaign(year=year)
    apps = [
        make_application(
            ApplicationState.CANDIDATE,
            campaign=campaign,
            kind=CategoryKind.TEAM if i % 2 == 0 else CategoryKind.INDIVIDUAL,
        )
        for i in range(n)
    ]
    return campaign, apps


def signed(campaign, office=None, organizers=None):
    """Ask for the joint approval and have all four organizers sign it."""
    session = get_session()
    office = office or make_user(Role.OFFICE)
    organizers = organizers or four_organizers()
    rnd = service.request_approval(session, campaign, office)
    for user in organizers.values():
        service.sign_list(session, campaign, user, rnd.list_digest)
    session.flush()
    return office, organizers


def open_notice(campaign, opens_at: datetime | None = None, office=None):
    """Sign the list and open the notice at `opens_at` (default Monday 2026-12-07 09:00)."""
    office, _ = signed(campaign, office)
    opens_at = opens_at or shanghai(2026, 12, 7, 9, 0)
    notice = service.open_notice(get_session(), campaign, office, opens_at=opens_at, now=opens_at)
    get_session().flush()
    return notice


def during(notice) -> datetime:
    """An instant inside the window."""
    return notice.opens_at.replace(microsecond=0) + (notice.closes_at - notice.opens_at) / 2
