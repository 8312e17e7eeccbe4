"""The final list waits for every objection to the notice to be decided, not only for the
notice to close: an objection still open could withdraw a candidate."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.honours import service
from portal.honours.errors import HonourError
from portal.honours.models import Honour
from portal.notice import service as notice_service
from portal.notice.objections import decide_objection
from tests.factories import make_user
from tests.honours.helpers import AFTER_NOTICE, PAST_NOTICE_OPENS
from tests.notice.helpers import (
    during,
    four_organizers,
    objection,
    open_notice,
    with_candidates,
)

CONFIRM = "Confirm the final list and award the honours"


def _closed_with_objection(session, opens_at=None):
    campaign, apps = with_candidates(3)
    office = make_user(Role.OFFICE)
    notice = open_notice(campaign, opens_at=opens_at, office=office)
    raised = objection(notice, apps[0], now=during(notice))
    session.flush()
    return campaign, apps, office, raised


def test_final_list_is_refused_while_an_objection_is_undecided(session):
    campaign, apps, office, _raised = _closed_with_objection(session)
    with pytest.raises(HonourError) as err:
        service.confirm_final_list(session, campaign, office, now=AFTER_NOTICE)
    assert err.value.key == "objections_undecided"
    assert err.value.params == {"count": 1}
    assert session.scalar(sa.select(sa.func.count(Honour.id))) == 0
    assert {a.state for a in apps} == {ApplicationState.CANDIDATE}


def test_final_list_is_confirmed_once_every_objection_is_decided(session):
    campaign, apps, office, raised = _closed_with_objection(session)
    decide_objection(
        session,
        raised,
        office,
        upheld=True,
        reply="经核实，反映情况属实，取消该候选资格。",
        now=AFTER_NOTICE - timedelta(hours=1),
    )
    revised = notice_service.request_approval(session, campaign, office)
    for user in four_organizers().values():
        notice_service.sign_list(session, campaign, user, revised.list_digest)
    honours = service.confirm_final_list(session, campaign, office, now=AFTER_NOTICE)
    assert sorted(h.application_id for h in honours) == [apps[1].id, apps[2].id]
    assert apps[0].state is ApplicationState.DISQUALIFIED


def test_honours_page_says_why_the_final_list_waits(session, client, login):
    campaign, _apps, office, _raised = _closed_with_objection(session, PAST_NOTICE_OPENS)
    office.locale = "en"
    session.flush()
    login(office)
    html = client.get("/honours/manage?lang=en").get_data(as_text=True)
    assert CONFIRM not in html
    assert "Objections to the public notice not yet decided: 1." in html
    response = client.post(f"/honours/campaigns/{campaign.id}/final-list", follow_redirects=True)
    assert "Objections to the public notice not yet decided: 1." in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Honour.id))) == 0
