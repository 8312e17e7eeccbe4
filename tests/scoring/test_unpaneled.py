"""The office sees, on the panels page, every accepted packet that no panel can take."""

from __future__ import annotations

from portal.accounts.models import Role
from portal.db import get_session
from portal.organizations.models import OrgKind
from portal.scoring import assignment as assigning
from tests.factories import industry, make_campaign, make_org, make_user
from tests.scoring.helpers import accepted, make_expert, make_panel


def _setting():
    campaign = make_campaign(year=2331)
    make_panel(campaign, [make_expert("孤单专家")])  # finance, one member of the five needed
    covered = accepted(campaign, team_name="金融柜面班组")
    hotel = make_org(OrgKind.ENTERPRISE, name="无组宾馆有限公司", industry=industry("hotels"))
    orphan = accepted(campaign, organization=hotel, team_name="无组前厅班组")
    return campaign, covered, orphan


def test_packets_without_panel_lists_only_the_accepted_packets_of_unpaneled_industries(app):
    campaign, covered, orphan = _setting()
    accepted(make_campaign(year=2332), organization=orphan.organization)  # another campaign
    assert assigning.packets_without_panel(get_session(), campaign) == [orphan]


def test_panels_page_warns_of_packets_without_panel_and_of_a_small_panel(app, client, login):
    campaign, covered, orphan = _setting()
    login(make_user(Role.OFFICE, locale="en"))
    page = client.get(f"/scoring/campaigns/{campaign.id}/panels").get_data(as_text=True)
    warning = page.split('data-testid="packets-without-panel"')[1].split("</div>")[0]
    assert "1 accepted packets have no panel of their industry" in warning
    assert f"#{orphan.id} 无组前厅班组 · 无组宾馆有限公司" in warning
    assert "金融柜面班组" not in warning
    assert "Fewer members than the 5 experts each packet needs." in page


def test_no_warning_when_every_accepted_packet_has_a_panel(app, client, login):
    campaign = make_campaign(year=2333)
    make_panel(campaign, [make_expert(f"专家{i}") for i in range(5)])
    accepted(campaign)
    login(make_user(Role.OFFICE, locale="en"))
    page = client.get(f"/scoring/campaigns/{campaign.id}/panels").get_data(as_text=True)
    assert 'data-testid="packets-without-panel"' not in page
    assert "Fewer members" not in page
