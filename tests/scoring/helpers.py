"""Builders for expert review tests: experts with logins, panels, accepted packets, sheets."""

from __future__ import annotations

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.db import get_session
from portal.organizations.models import OrgKind
from portal.scoring import assignment as assigning
from portal.scoring import sheets
from portal.scoring.models import Expert, Panel
from tests.factories import industry, make_application, make_campaign, make_org, make_user


def make_expert(name: str | None = None, organization=None, user=None, login=True, **fields):
    """A pool expert of the finance industry, with an expert login unless login=False."""
    organization = organization or make_org(OrgKind.OTHER)
    if user is None and login:
        user = make_user(Role.EXPERT, organization=organization)
    expert = Expert(
        name=name or f"专家{organization.id}",
        organization=organization,
        user=user,
        email=fields.pop("email", user.email if user else None),
        **fields,
    )
    expert.industries = [industry()]
    session = get_session()
    session.add(expert)
    session.flush()
    return expert


def make_panel(campaign, experts, leader=None, name="金融组") -> Panel:
    fin = industry()
    if fin not in campaign.industries:
        campaign.industries.append(fin)
    panel = Panel(campaign=campaign, industry=fin, name=name, members=list(experts), leader=leader)
    session = get_session()
    session.add(panel)
    session.flush()
    return panel


def accepted(campaign, organization=None, **fields):
    return make_application(
        ApplicationState.ACCEPTED, campaign=campaign, organization=organization, **fields
    )


def assigned_sheet(expert=None, campaign=None, pledge=True, app=None):
    """One active assignment of `expert` to an accepted packet, with its draft sheet."""
    campaign = campaign or (app.campaign if app else make_campaign(year=_next_year()))
    expert = expert or make_expert()
    app = app or accepted(campaign)
    panel = panel_for(campaign, expert)
    a = assigning.assign_expert(get_session(), None, panel, app, expert)
    if pledge:
        sheets.accept_pledge(get_session(), None, expert, campaign)
    return a


def panel_for(campaign, expert) -> Panel:
    import sqlalchemy as sa

    panel = get_session().scalar(sa.select(Panel).where(Panel.campaign_id == campaign.id))
    if panel is None:
        return make_panel(campaign, [expert])
    if expert not in panel.members:
        panel.members.append(expert)
    return panel


# Above every year a test names itself (the highest is 3004), below the packet helpers' 4000.
_years = iter(range(3100, 4000))


def _next_year() -> int:
    import sqlalchemy as sa

    from portal.campaigns.models import Campaign

    while True:
        year = next(_years)
        if get_session().scalar(sa.select(Campaign.id).where(Campaign.year == year)) is None:
            return year


def office_user():
    """A programme office login: reassigns withdrawn places and reopens locked sheets."""
    return make_user(Role.OFFICE)


# A score for every criterion of the default rubric, each within its maximum.
FULL_SCORES = {
    "idea": "12.5",
    "standards": "18",
    "skills": "13",
    "innovation": "12",
    "results": "22",
    "impact": "8",
}
