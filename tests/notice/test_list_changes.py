"""A joint-approval round is void whenever the candidate list is no longer the one it was sent
with, and matches again when the list comes back to it: the changes kept as packets move
(portal.notice.kept) say what the digest of the list as it stands says, through confirming and
reopening a list, a packet taken off by hand, an objection upheld, a finding, the final list
and a packet added, and the approval page shows it without reading the list."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications.models import Application, ApplicationState
from portal.applications.workflow import fire
from portal.db import get_session
from portal.eligibility.models import FindingSource
from portal.eligibility.service_integrity import record_finding
from portal.honours import service as honours
from portal.notice import kept, service
from portal.notice.errors import NoticeError
from portal.notice.models import ListChange
from portal.notice.objections import decide_objection
from portal.organizations.models import OrgSystem
from portal.scoring.results import service as results
from tests.factories import make_application, make_campaign, make_user
from tests.honours.helpers import AFTER_NOTICE
from tests.notice.helpers import (
    during,
    four_organizers,
    objection,
    open_notice,
    signed,
    with_candidates,
)
from tests.scoring.results_helpers import four_scored_teams

S = ApplicationState


def void(campaign) -> bool:
    """Whether the latest round is void, as the page reads it from the kept changes; asserted
    to be what comparing the digest of the list as it now stands says."""
    session = get_session()
    session.flush()
    status = service.approval_status(session, campaign)
    by_digest = status.round.list_digest != service.current_digest(session, campaign)
    assert status.void is by_digest
    assert service.approval_status(session, campaign, exact=True).void is by_digest
    return status.void


def _ranked(quota: int = 2):
    """A campaign whose teams' category has four scored packets and room for `quota`."""
    campaign = make_campaign(year=2371)
    category, packets = four_scored_teams(
        campaign, quota, lambda n: dict(members=4, women=1, average_age=Decimal(35))
    )
    return campaign, category, packets


def test_confirming_and_reopening_the_list_void_the_round_until_it_is_the_one_sent(session):
    campaign, category, packets = _ranked()
    office = make_user(Role.OFFICE)
    results.confirm_list(session, category.id, office)
    service.request_approval(session, campaign, office)
    assert not void(campaign)
    results.reopen_list(session, category.id, office, "名额调整")
    assert void(campaign)  # both candidates left the list
    results.confirm_list(session, category.id, office)
    assert not void(campaign)  # the same two again: the list sent
    results.reopen_list(session, category.id, office, "名额调整")
    category.quota = 3
    results.confirm_list(session, category.id, office)
    assert void(campaign)  # a third candidate entered the list
    service.request_approval(session, campaign, office)
    assert not void(campaign)
    fire(session, packets[2], S.ACCEPTED, office, reason="复核分数")
    assert void(campaign)  # taken off by hand
    fire(session, packets[2], S.CANDIDATE, office)
    assert not void(campaign)


def test_an_objection_upheld_a_finding_and_the_final_list_void_the_signed_round(session):
    campaign, apps = with_candidates(3)
    office = make_user(Role.OFFICE)
    organizers = four_organizers()
    notice = open_notice(campaign, office=office)
    assert not void(campaign)
    raised = objection(notice, apps[0], now=during(notice))
    reply = "经核实属实，取消候选资格。"
    decide_objection(session, raised, office, upheld=True, reply=reply, now=during(notice))
    assert apps[0].state is S.DISQUALIFIED
    assert void(campaign)
    signed(campaign, office, organizers)
    assert not void(campaign)
    record_finding(session, office, apps[1], source=FindingSource.REVIEW, description="材料伪造")
    assert apps[1].state is S.DISQUALIFIED
    assert void(campaign)
    signed(campaign, office, organizers)
    honours.confirm_final_list(session, campaign, office, now=AFTER_NOTICE)
    assert apps[2].state is S.AWARDED
    assert void(campaign)  # the list is empty now; the signed one was not


def test_a_packet_added_voids_the_round_and_the_page_shows_it(session, client, login):
    campaign, _apps = with_candidates(2)
    office = make_user(Role.OFFICE)
    organizers = four_organizers()
    rnd = service.request_approval(session, campaign, office)
    service.sign_list(session, campaign, organizers[OrgSystem.QUALITY], rnd.list_digest)
    session.commit()
    login(organizers[OrgSystem.UNION])
    page = client.get(f"/notice/manage/{campaign.id}").get_data(as_text=True)
    assert 'data-testid="sign-form"' in page and 'data-testid="round-void"' not in page

    added = make_application(S.CANDIDATE, campaign=campaign)
    session.commit()
    assert void(campaign)
    page = client.get(f"/notice/manage/{campaign.id}").get_data(as_text=True)
    assert 'data-testid="round-void"' in page and 'data-testid="sign-form"' not in page
    with pytest.raises(NoticeError) as refused:
        service.sign_list(session, campaign, organizers[OrgSystem.UNION], rnd.list_digest)
    assert refused.value.key == "list_changed"

    fire(session, added, S.ACCEPTED, office, reason="误列")
    session.commit()
    assert not void(campaign)  # back to the list sent: the signature still stands
    page = client.get(f"/notice/manage/{campaign.id}").get_data(as_text=True)
    assert 'data-testid="sign-form"' in page and 'data-testid="round-void"' not in page


def test_a_state_written_without_reading_it_first_is_compared_too(session):
    campaign, apps = with_candidates(2)
    service.request_approval(session, campaign, make_user(Role.OFFICE))
    session.flush()
    session.expire(apps[0])
    apps[0].state = S.NOT_SELECTED  # what it was before is not loaded
    assert void(campaign)


def test_only_the_latest_round_of_the_campaign_counts_changes(session):
    campaign, apps = with_candidates(2)
    other, _ = with_candidates(2, year=2027)
    office = make_user(Role.OFFICE)
    first = service.request_approval(session, campaign, office)
    service.request_approval(session, other, office)
    fire(session, apps[0], S.ACCEPTED, office, reason="复核分数")
    assert void(campaign) and not void(other)
    second = service.request_approval(session, campaign, office)
    assert not void(campaign)
    fire(session, apps[1], S.ACCEPTED, office, reason="复核分数")
    rows = session.execute(sa.select(ListChange.round_id, ListChange.application_id)).all()
    assert sorted(rows) == [(first.id, apps[0].id), (second.id, apps[1].id)]


def test_compare_counts_packets_written_past_the_unit_of_work(session):
    campaign, apps = with_candidates(3)
    service.request_approval(session, campaign, make_user(Role.OFFICE))
    ids = [a.id for a in apps]
    session.execute(sa.update(Application).where(Application.id == ids[0]).values(state=S.ACCEPTED))
    assert not service.approval_status(session, campaign).void  # a bulk write is not seen
    assert service.approval_status(session, campaign, exact=True).void  # signing reads the list
    kept.compare(session, campaign.id, ids)
    assert void(campaign)
    kept.compare(session, campaign.id, ids)  # again: nothing moves
    assert void(campaign)
