"""Scores stay as they are once the candidate list is confirmed: a locked sheet is not reopened
(page or API) and a published list's ranking is not reopened; a sheet reopened before that
shows its expert the reason, and the expert is mailed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.db import get_session
from portal.mail import OutboxMessage
from portal.organizations.models import OrgKind
from portal.scoring import sheets
from portal.scoring.errors import ResultsError
from portal.scoring.models import SheetStatus
from portal.scoring.results import service as results
from tests.api.helpers import auth_headers
from tests.factories import make_campaign, make_org, make_user
from tests.notice.helpers import open_notice
from tests.scoring.helpers import FULL_SCORES, accepted, assigned_sheet, make_expert

REASON = "创新项分数录入有误，请复核后重新锁定。"
SETTLED = "The candidate list of this packet is confirmed, so its scores can no longer change."


def _expert(name: str):
    org = make_org(OrgKind.OTHER)
    user = make_user(Role.EXPERT, organization=org, name=name, email=f"{name}@example.com")
    return make_expert(name, organization=org, user=user)


@pytest.fixture
def locked(app):
    """A packet with one expert's locked sheet."""
    campaign = make_campaign(year=2341)
    packet = accepted(campaign, team_name="徐汇窗口班组")
    a = assigned_sheet(_expert("丙专家"), campaign, app=packet)
    sheets.save_sheet(get_session(), None, a.expert, a.sheet, FULL_SCORES)
    sheets.lock_sheet(get_session(), a.expert.user, a.expert, a.sheet)
    return a


def _settle(a, state=ApplicationState.CANDIDATE):
    a.application.state = state  # as confirming the candidate list leaves it
    get_session().flush()


@pytest.mark.parametrize("state", [ApplicationState.CANDIDATE, ApplicationState.NOT_SELECTED])
def test_the_office_cannot_reopen_a_sheet_of_a_confirmed_list_through_the_page(
    client, login, locked, state
):
    _settle(locked, state)
    office = make_user(Role.OFFICE, locale="en")
    login(office)
    page = client.get(f"/scoring/sheets/{locked.sheet.id}?lang=en").get_data(as_text=True)
    assert SETTLED in page
    assert "Reopen the sheet" not in page
    response = client.post(
        f"/scoring/sheets/{locked.sheet.id}/reopen?lang=en",
        data={"reason": REASON, "lock_version": str(locked.sheet.lock_version)},
        follow_redirects=True,
    )
    assert SETTLED in response.get_data(as_text=True)
    get_session().refresh(locked.sheet)
    assert locked.sheet.status is SheetStatus.LOCKED
    assert locked.sheet.reopen_count == 0


def test_the_api_refuses_to_reopen_a_sheet_of_a_confirmed_list(client, locked):
    _settle(locked)
    office = auth_headers(make_user(Role.OFFICE))
    response = client.post(
        f"/api/v1/scoring/sheets/{locked.sheet.id}/reopen",
        json={"reason": REASON},
        headers=office,
    )
    assert response.status_code in (409, 422)
    assert response.get_json()["error"]["code"] == "list_settled"
    get_session().refresh(locked.sheet)
    assert locked.sheet.status is SheetStatus.LOCKED


def test_a_published_list_cannot_have_its_ranking_reopened(session, locked):
    office = make_user(Role.OFFICE)
    category = locked.application.category
    results.confirm_list(session, category.id, office)
    assert locked.application.state is ApplicationState.CANDIDATE
    open_notice(locked.application.campaign, office=office)
    with pytest.raises(ResultsError) as err:
        results.reopen_list(session, category.id, office, "复核")
    assert err.value.key == "notice_started"
    assert locked.application.state is ApplicationState.CANDIDATE


def test_a_reopened_sheet_shows_the_expert_the_reason_and_mails_it(client, login, locked):
    office = make_user(Role.OFFICE)
    sheets.reopen_sheet(get_session(), office, locked.sheet, REASON)
    mail = (
        get_session()
        .scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == "丙专家@example.com"))
        .all()
    )
    assert len(mail) == 1
    assert REASON in mail[0].body
    assert f"#{locked.application_id}" in mail[0].subject
    login(locked.expert.user)
    page = client.get(f"/scoring/assignments/{locked.id}").get_data(as_text=True)
    assert 'data-testid="reopen-reason"' in page
    assert REASON in page
