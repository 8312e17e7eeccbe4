"""Inputs the fuzz tier found answered with a 5xx, each replayed through the real pages.

They run in the core tier (not marked `fuzz`), on the rolled-back test database.
"""

from __future__ import annotations

import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications.models import Application
from portal.campaigns.models import CampaignStatus
from tests.campaigns.test_round_trip import form_values
from tests.factories import make_application, make_campaign, make_user


def _without_row(pairs: list[tuple[str, str]], index: int) -> dict:
    return {k: v for k, v in pairs if not k.startswith(f"rows-{index}-")}


def test_removing_a_category_that_packets_use_is_refused_and_keeps_them(session, client, login):
    campaign = make_campaign(year=2097, status=CampaignStatus.OPEN)
    packet = make_application(campaign=campaign)
    team = packet.category
    login(make_user(Role.OFFICE, locale="en"))
    url = f"/office/campaigns/{campaign.id}/categories"
    shown = form_values(client.get(url).get_data(as_text=True))

    response = client.post(url, data=_without_row(shown, 0))

    assert response.status_code == 200
    assert f"{team.code} cannot be removed: packets, decisions or scores already refer to it." in (
        response.get_data(as_text=True)
    )
    session.expire_all()
    assert [c.code for c in campaign.categories] == ["team", "individual"]
    assert session.scalar(
        sa.select(Application.category_id).where(Application.id == packet.id)
    ) == (team.id)


def test_removing_a_stage_that_decided_packets_is_refused(session, client, login):
    from portal.review.models import Decision, StageDecision

    campaign = make_campaign(year=2096, status=CampaignStatus.OPEN)
    packet = make_application(campaign=campaign)
    first = campaign.stages[0]
    reviewer = make_user(Role.CHANNEL_REVIEWER)
    session.add(
        StageDecision(
            application=packet,
            version_number=1,
            stage=first,
            decision=Decision.FORWARD,
            reviewer=reviewer,
        )
    )
    session.flush()
    login(make_user(Role.OFFICE, locale="en"))
    url = f"/office/campaigns/{campaign.id}/stages"
    shown = form_values(client.get(url).get_data(as_text=True))

    response = client.post(url, data=_without_row(shown, 0))

    assert response.status_code == 200
    assert "cannot be removed: packets, decisions or scores already refer to it." in (
        response.get_data(as_text=True)
    )
    session.expire_all()
    assert [s.id for s in campaign.stages][0] == first.id
