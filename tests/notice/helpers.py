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


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REASON = "该候选人申报材料中的客户满意率与单位年报公布的数据明显不一致，请核实。"


def open_now(n: int = 2, year: int = 2026):
    """A campaign whose notice opened an hour ago (the pages use the real clock)."""
    from datetime import timedelta

    from portal.db import utcnow

    campaign, apps = with_candidates(n, year=year)
    notice = open_notice(campaign, opens_at=utcnow() - timedelta(hours=1))
    return campaign, notice, apps


def objection(notice, app, mobile: str = "13800138000", evidence: bool = False, **fields):
    """An objection received through the service, optionally with one PDF of evidence."""
    import io

    from portal.notice import objections

    fields.setdefault("name", "赵敏")
    fields.setdefault("email", None)
    fields.setdefault("reason", REASON)
    files = [(io.BytesIO(PDF), "证据.pdf")] if evidence else []
    return objections.submit_objection(
        get_session(),
        notice,
        app,
        mobile=mobile,
        files=files,
        filled_seconds=30,
        now=fields.pop("now", None) or during_or_now(notice),
        **fields,
    )


def during_or_now(notice):
    from portal.db import utcnow

    now = utcnow()
    return now if notice.is_open(now) else during(notice)
