"""After an upheld objection withdraws a candidate during the notice, the office asks the four
organizers to sign the revised list again from the approval page, and the final list waits
for their signatures."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.audit import AuditEntry
from portal.honours import service as honours
from portal.honours.errors import HonourError
from portal.notice import service
from portal.notice.errors import NoticeError
from portal.notice.objections import decide_objection
from portal.organizations.models import OrgSystem
from tests.factories import make_user
from tests.honours.helpers import AFTER_NOTICE, PAST_NOTICE_OPENS
from tests.notice.helpers import during, four_organizers, objection, signed, with_candidates

ASK_AGAIN = "Ask the four organizers to sign the revised list again"


def _withdrawn_during_notice(session, opens_at=None):
    """A notice on three candidates, the first withdrawn on an upheld objection."""
    campaign, apps = with_candidates(3)
    office = make_user(Role.OFFICE)
    organizers = four_organizers()
    signed(campaign, office, organizers)
    opens_at = opens_at or AFTER_NOTICE - timedelta(days=7)
    notice = service.open_notice(session, campaign, office, opens_at=opens_at, now=opens_at)
    raised = objection(notice, apps[0], now=during(notice))
    decide_objection(
        session, raised, office, upheld=True, reply="经核实属实，取消候选资格。", now=during(notice)
    )
    session.flush()
    return campaign, apps, office, organizers


def test_the_office_asks_again_and_the_final_list_waits_for_the_signatures(session):
    campaign, apps, office, organizers = _withdrawn_during_notice(session)
    assert service.approval_status(session, campaign).void
    with pytest.raises(HonourError) as err:
        honours.confirm_final_list(session, campaign, office, now=AFTER_NOTICE)
    assert err.value.key == "list_unsigned"

    rnd = service.request_approval(session, campaign, office)
    assert rnd.number == 2
    assert rnd.candidate_ids == sorted([apps[1].id, apps[2].id])
    for user in organizers.values():
        service.sign_list(session, campaign, user, rnd.list_digest)
    awarded = honours.confirm_final_list(session, campaign, office, now=AFTER_NOTICE)
    assert sorted(h.application_id for h in awarded) == [apps[1].id, apps[2].id]


def test_an_unchanged_list_is_not_sent_again_after_the_notice(session):
    campaign, _apps = with_candidates(2)
    office, _organizers = signed(campaign)
    opens = AFTER_NOTICE - timedelta(days=7)
    service.open_notice(session, campaign, office, opens_at=opens, now=opens)
    with pytest.raises(NoticeError) as err:
        service.request_approval(session, campaign, office)
    assert err.value.key == "notice_exists"


def test_the_button_asks_again_and_organizers_see_the_list_to_sign(session, client, login):
    campaign, apps, office, organizers = _withdrawn_during_notice(session, PAST_NOTICE_OPENS)
    login(office)
    page = client.get(f"/notice/manage/{campaign.id}?lang=en").get_data(as_text=True)
    assert ASK_AGAIN in page
    response = client.post(f"/notice/manage/{campaign.id}/request", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The candidate list is sent to the four organizers for sign-off." in html
    assert ASK_AGAIN not in html
    entry = session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.action == "notice.request_approval")
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry.actor_id == office.id
    assert entry.after["number"] == 2
    assert entry.after["notice_revision"] == 1

    client.post("/logout")
    login(organizers[OrgSystem.UNION])
    home = client.get("/home?lang=en").get_data(as_text=True)
    year = campaign.year
    assert f"The {year} candidate list awaits your signature (round 2)." in home
    page = client.get(f"/notice/manage/{campaign.id}?lang=en").get_data(as_text=True)
    assert 'data-testid="sign-form"' in page
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    assert digest == service.list_digest([apps[1].id, apps[2].id])
