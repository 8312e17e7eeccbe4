"""The pages: the office edits the conditions, the unit sees them judged and signs, reviewers
see the evaluation, bars and double nominations beside the packet and act on them."""

from __future__ import annotations

import re

from portal.accounts.models import Role
from portal.applications import service as applications
from portal.applications.models import ApplicationState
from portal.campaigns.models import CategoryKind
from portal.checks import mask_id_number
from portal.eligibility import service
from portal.eligibility.service_integrity import finding_of
from tests.applications.helpers import category
from tests.eligibility.helpers import add_member, complete, ruled_campaign, rules_row
from tests.factories import make_user

TEAM, INDIVIDUAL = CategoryKind.TEAM, CategoryKind.INDIVIDUAL


def _csrf(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return match.group(1) if match else ""


def test_the_office_edits_the_conditions_on_the_campaigns_settings_page(session, client, login):
    campaign = ruled_campaign()
    login(make_user(Role.OFFICE))
    detail = client.get(f"/office/campaigns/{campaign.id}").get_data(as_text=True)
    assert f"/eligibility/campaigns/{campaign.id}/rules" in detail
    url = f"/eligibility/campaigns/{campaign.id}/rules"
    page = client.get(url).get_data(as_text=True)
    team = category(campaign, TEAM)
    assert f'name="c{team.id}-team_max_members" value="50"' in page
    individual = category(campaign, INDIVIDUAL)
    data = {
        f"c{team.id}-founded_min_years": "5",
        f"c{team.id}-team_min_members": "3",
        f"c{team.id}-team_max_members": "30",
        f"c{individual.id}-post_min_years": "4",
    }
    response = client.post(url, data=data)
    assert response.status_code == 302
    row = rules_row(campaign, TEAM)
    assert (row.founded_min_years, row.team_max_members, row.clean_record_years) == (5, 30, None)
    assert rules_row(campaign, INDIVIDUAL).post_min_years == 4


def test_a_wrong_value_is_shown_beside_its_box_and_nothing_is_saved(session, client, login):
    campaign = ruled_campaign()
    team = category(campaign, TEAM)
    login(make_user(Role.OFFICE))
    url = f"/eligibility/campaigns/{campaign.id}/rules"
    response = client.post(url, data={f"c{team.id}-team_min_members": "三"})
    assert response.status_code == 422
    assert "Enter a whole number from 0 to 100." in response.get_data(as_text=True)
    assert rules_row(campaign, TEAM).team_min_members == 3


def test_the_unit_sees_a_failing_condition_with_its_figures_and_signs(session, client, login):
    app = complete(TEAM, sign=False)
    applications.update_application(
        session, app, app.created_by, fields={"team_founded_on": "2025-06-01"}
    )
    login(app.created_by)
    page = client.get(f"/applications/{app.id}").get_data(as_text=True)
    assert 'data-check="founded" data-passed="no"' in page
    assert "founded on 2025-06-01, 1 full years before" in page
    assert 'data-check="declaration" data-passed="no"' in page
    assert "Application condition not met: Team founded long enough" in page  # missing list
    response = client.post(f"/eligibility/applications/{app.id}/declaration")
    assert response.status_code == 302
    assert service.declaration_of(session, app) is not None
    page = client.get(f"/applications/{app.id}").get_data(as_text=True)
    assert 'data-check="declaration" data-passed="yes"' in page


def test_reviewers_see_the_evaluation_and_a_double_nomination(session, client, login):
    campaign = ruled_campaign()
    person = complete(INDIVIDUAL, campaign)
    team = complete(TEAM, campaign, user=make_user(Role.ENTERPRISE))
    add_member(team, person.id_number)
    for app in (person, team):
        applications.submit_application(session, app.id, app.created_by)
    login(make_user(Role.OFFICE))
    page = client.get(f"/applications/{team.id}/versions/1").get_data(as_text=True)
    assert 'data-testid="eligibility-flags"' in page
    assert 'data-check="members" data-passed="yes"' in page
    assert 'data-testid="double-nomination"' in page
    assert mask_id_number(person.id_number) in page  # as the flag shows it
    integrity = client.get(f"/eligibility/campaigns/{campaign.id}/integrity")
    assert person.title in integrity.get_data(as_text=True)


def test_the_office_records_a_finding_from_the_packet(session, client, login):
    app = complete(TEAM)
    applications.submit_application(session, app.id, app.created_by)
    login(make_user(Role.OFFICE))
    response = client.post(
        f"/eligibility/applications/{app.id}/finding",
        data={"source": "review", "description": "荣誉证书系伪造"},
    )
    assert response.status_code == 302
    assert app.state is ApplicationState.DISQUALIFIED
    assert finding_of(session, app).description == "荣誉证书系伪造"


def test_a_reviewer_contests_the_declaration(session, client, login):
    app = complete(TEAM)
    applications.submit_application(session, app.id, app.created_by)
    login(make_user(Role.OFFICE))
    response = client.post(
        f"/eligibility/applications/{app.id}/declaration/contest", data={"reason": "有投诉记录"}
    )
    assert response.status_code == 302
    assert service.declaration_of(session, app).contest_reason == "有投诉记录"
    empty = client.post(
        f"/eligibility/applications/{app.id}/declaration/contest",
        data={"reason": ""},
        follow_redirects=True,
    )
    assert "Give the reason" in empty.get_data(as_text=True)
