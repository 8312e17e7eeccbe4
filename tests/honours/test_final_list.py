"""The final list: refused before the notice ends, then every candidate awarded once."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.audit import AuditEntry
from portal.honours import service
from portal.honours.errors import HonourError
from portal.honours.models import Honour
from tests.factories import make_user
from tests.honours.helpers import AFTER_NOTICE, DURING_NOTICE, PAST_NOTICE_OPENS, awarded
from tests.notice.helpers import open_notice, with_candidates


def test_final_list_is_refused_while_there_is_no_notice(session):
    campaign, apps = with_candidates(2)
    with pytest.raises(HonourError) as err:
        service.confirm_final_list(session, campaign, make_user(Role.OFFICE), now=AFTER_NOTICE)
    assert err.value.key == "notice_not_closed"
    assert {a.state for a in apps} == {ApplicationState.CANDIDATE}


def test_final_list_is_refused_while_the_notice_is_open(session):
    campaign, apps = with_candidates(2)
    office = make_user(Role.OFFICE)
    open_notice(campaign, office=office)
    with pytest.raises(HonourError) as err:
        service.confirm_final_list(session, campaign, office, now=DURING_NOTICE)
    assert err.value.key == "notice_not_closed"
    assert session.scalar(sa.select(sa.func.count(Honour.id))) == 0


def test_final_list_awards_every_candidate_with_numbered_certificates(session):
    campaign, honours = awarded(3)
    # Teams first (two of the three candidates are teams), then the individual.
    assert [h.certificate_number for h in honours] == [
        "FWMX-2026-T-001",
        "FWMX-2026-T-002",
        "FWMX-2026-I-001",
    ]
    assert {h.application.state for h in honours} == {ApplicationState.AWARDED}
    assert {h.awarded_on for h in honours} == {date(2026, 12, 14)}
    assert {h.valid_until for h in honours} == {date(2029, 12, 13)}
    assert len({h.verification_code for h in honours}) == 3
    assert all(len(h.verification_code) == 10 for h in honours)
    assert honours[0].holder_name == honours[0].application.team_name
    assert honours[0].unit_name == honours[0].application.organization.name


def test_final_list_is_confirmed_only_once(session):
    campaign, _honours = awarded(2)
    with pytest.raises(HonourError) as err:
        service.confirm_final_list(session, campaign, make_user(Role.OFFICE), now=AFTER_NOTICE)
    assert err.value.key == "already_confirmed"
    assert session.scalar(sa.select(sa.func.count(Honour.id))) == 2


def test_final_list_is_audited_per_packet_and_once_for_the_list(session):
    campaign, honours = awarded(2)
    actions = session.scalars(
        sa.select(AuditEntry.action).where(
            AuditEntry.action.in_(["application.award", "honour.confirm_final_list"])
        )
    ).all()
    assert sorted(actions) == [
        "application.award",
        "application.award",
        "honour.confirm_final_list",
    ]


def test_only_the_office_confirms_the_final_list(session):
    campaign, _apps = with_candidates(1)
    open_notice(campaign)
    with pytest.raises(HonourError) as err:
        service.confirm_final_list(session, campaign, make_user(Role.ORGANIZER), now=AFTER_NOTICE)
    assert err.value.key == "not_allowed"


def test_double_click_on_the_final_list_button_awards_once(app, session, client, login):
    campaign, _apps = with_candidates(2)
    office = make_user(Role.OFFICE)
    open_notice(campaign, opens_at=PAST_NOTICE_OPENS, office=office)
    session.flush()
    login(office)
    url = f"/honours/campaigns/{campaign.id}/final-list"
    first = client.post(url)
    second = client.post(url, follow_redirects=True)
    assert first.status_code == 302
    assert "The final list of this campaign is already confirmed." in second.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Honour.id))) == 2
