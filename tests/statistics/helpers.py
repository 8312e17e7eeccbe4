"""Channel organizations with their reviewers, and tables filed through the service."""

from __future__ import annotations

from datetime import date, timedelta

from portal.accounts.models import Role
from portal.db import get_session
from portal.organizations.models import ChannelLevel, OrgKind, OrgSystem
from portal.statistics import service
from portal.statistics.models import COUNT_NAMES
from tests.factories import district, industry, make_org, make_user

# enterprises, teams, individuals, sessions, trained, skill events, volunteer activities,
# volunteers, teams recommended, individuals recommended, of them women, of them 35 or under
FIGURES = {
    "union-huangpu": (10, 5, 8, 3, 120, 2, 4, 50, 2, 3, 2, 1),
    "youth-huangpu": (6, 4, 2, 1, 30, 1, 2, 20, 1, 2, 1, 2),
    "union-xuhui": (7, 3, 5, 2, 45, 0, 1, 12, 1, 4, 3, 0),
    "youth-railway": (4, 2, 6, 5, 200, 3, 0, 0, 2, 5, 2, 4),
    "women-xuhui": (99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99),  # left as a draft
}


def summed(*keys: str) -> tuple[int, ...]:
    """The figures of several organizations of FIGURES added column by column, by hand."""
    return tuple(map(sum, zip(*(FIGURES[k] for k in keys), strict=True)))


def counts(values: tuple[int, ...]) -> dict[str, int]:
    return dict(zip(COUNT_NAMES, values, strict=True))


def channel(system: OrgSystem, place: str, **fields):
    if place == "railway":
        return make_org(
            OrgKind.CHANNEL,
            system=system,
            channel_level=ChannelLevel.INDUSTRY,
            industry=industry("railway"),
            district=None,
            **fields,
        )
    return make_org(OrgKind.CHANNEL, system=system, district=district(place), **fields)


def reviewer_of(org):
    return make_user(Role.CHANNEL_REVIEWER, organization=org)


def save(reviewer, campaign, values=(1,) * 12, *, now=None, lock_version=None, **fields):
    session = get_session()
    if lock_version is None:
        existing = service.find_table(session, campaign, reviewer.organization)
        lock_version = existing.lock_version if existing else 0
    fields.setdefault("contact_name", "王敏")
    fields.setdefault("contact_phone", "021-63210000")
    fields.setdefault("report_date", date(campaign.year, 11, 12))
    return service.save_table(
        session,
        reviewer,
        campaign,
        counts=counts(values),
        lock_version=lock_version,
        now=now,
        **fields,
    )


def before_deadline(campaign):
    return campaign.recommendation_deadline - timedelta(seconds=1)


def file_all(campaign) -> dict[str, object]:
    """The five organizations of FIGURES, all saved, all but women-xuhui submitted."""
    tables = {}
    for key, values in FIGURES.items():
        system, place = key.split("-")
        reviewer = reviewer_of(channel(OrgSystem(system), place))
        table = save(reviewer, campaign, values, now=before_deadline(campaign))
        if key != "women-xuhui":
            service.submit_table(get_session(), table.id, reviewer, now=before_deadline(campaign))
        tables[key] = table
    return tables
