"""Integrity: a finding of fabricated material disqualifies the packet and bars the unit or the
person from the next campaign; the same person nominated twice is flagged; an earlier winner
is flagged by a team member's ID number too."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications import service as applications
from portal.applications.errors import ApplicationError, Incomplete
from portal.applications.models import ApplicationState
from portal.audit import AuditEntry
from portal.campaigns.models import CategoryKind
from portal.checks import mask_id_number
from portal.eligibility.errors import EligibilityError
from portal.eligibility.models import FindingSource
from portal.eligibility.service_integrity import (
    double_nominations,
    nominated_elsewhere,
    record_finding,
)
from portal.honours import rules as honour_rules
from tests.applications.helpers import category, make_id_number
from tests.eligibility.helpers import add_member, checks_by_code, complete, ruled_campaign
from tests.factories import make_application, make_org, make_user
from tests.honours.helpers import make_honour

TEAM, INDIVIDUAL = CategoryKind.TEAM, CategoryKind.INDIVIDUAL


def _found(session, app, source=FindingSource.REVIEW):
    return record_finding(
        session, make_user(Role.OFFICE), app, source=source, description="证实性材料系伪造"
    )


def test_a_finding_disqualifies_the_packet_and_bars_the_unit_from_the_next_campaign(session):
    this_year = ruled_campaign(year=2071)
    app = complete(TEAM, this_year)
    applications.submit_application(session, app.id, app.created_by)
    finding = _found(session, app)
    assert app.state is ApplicationState.DISQUALIFIED
    assert finding.barred_credit_code == app.organization.credit_code
    assert finding.barred_through_year == 2072

    next_year = ruled_campaign(year=2072)
    with pytest.raises(ApplicationError) as refused:
        applications.create_application(
            session, app.created_by, next_year, category(next_year, TEAM)
        )
    assert refused.value.refusal.code == "eligibility.barred_unit"
    assert "2072" in refused.value.message and "2071" in refused.value.message

    the_year_after = ruled_campaign(year=2073)
    later = applications.create_application(
        session, app.created_by, the_year_after, category(the_year_after, TEAM)
    )
    assert later.state is ApplicationState.DRAFT


def test_a_barred_unit_is_refused_on_the_new_packet_page(session, client, login):
    app = complete(TEAM, ruled_campaign(year=2074))
    applications.submit_application(session, app.id, app.created_by)
    _found(session, app, FindingSource.OBJECTION)
    app.campaign.status = app.campaign.status.CLOSED
    next_year = ruled_campaign(year=2075)
    session.flush()
    login(app.created_by)
    response = client.post(
        "/applications/new",
        data={"category_id": str(category(next_year, TEAM).id)},
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "is barred from applying in campaigns up to 2075" in text


def test_a_person_found_out_is_barred_in_the_next_campaign_even_through_another_unit(session):
    app = complete(INDIVIDUAL, ruled_campaign(year=2076))
    applications.submit_application(session, app.id, app.created_by)
    finding = _found(session, app, FindingSource.INSPECTION)
    assert finding.barred_id_number == app.id_number and finding.barred_credit_code is None
    trail = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "eligibility.record_finding")
    ).one()
    assert app.id_number not in json.dumps(trail.after, ensure_ascii=False)
    assert trail.after["id_number"]["masked"] == mask_id_number(app.id_number)

    other_unit = make_user(Role.ENTERPRISE)
    again = complete(INDIVIDUAL, ruled_campaign(year=2077), user=other_unit)
    check = checks_by_code(again)["bar"]
    assert check.passed is False and "2077" in str(check.shows)
    with pytest.raises(Incomplete):
        applications.submit_application(session, again.id, again.created_by)

    team = complete(TEAM, again.campaign, user=make_user(Role.ENTERPRISE))
    add_member(team, app.id_number)
    assert checks_by_code(team)["bar"].passed is False


def test_a_finding_is_recorded_once_by_the_office_with_a_description(session):
    app = complete(TEAM)
    with pytest.raises(EligibilityError) as draft:
        _found(session, app)
    assert draft.value.key == "draft"
    applications.submit_application(session, app.id, app.created_by)
    with pytest.raises(EligibilityError) as reviewer:
        record_finding(
            session,
            make_user(Role.CHANNEL_REVIEWER),
            app,
            source=FindingSource.REVIEW,
            description="x",
        )
    assert reviewer.value.key == "not_allowed"
    with pytest.raises(EligibilityError) as future:
        record_finding(
            session,
            make_user(Role.OFFICE),
            app,
            source=FindingSource.REVIEW,
            description="x",
            found_on=date.today() + timedelta(days=2),
        )
    assert future.value.key == "future_date"
    _found(session, app)
    with pytest.raises(EligibilityError) as twice:
        _found(session, app)
    assert twice.value.key == "already_found"


def test_an_awarded_packet_keeps_its_state_and_the_unit_is_barred(session):
    campaign = ruled_campaign(year=2078)
    app = make_application(ApplicationState.AWARDED, campaign=campaign)
    _found(session, app, FindingSource.INSPECTION)
    assert app.state is ApplicationState.AWARDED  # the organizers revoke the title
    next_year = ruled_campaign(year=2079)
    packet = make_application(
        ApplicationState.DRAFT, campaign=next_year, organization=app.organization
    )
    assert checks_by_code(packet)["bar"].passed is False


def test_the_same_person_as_individual_and_team_member_is_flagged(session):
    campaign = ruled_campaign()
    person = complete(INDIVIDUAL, campaign)
    team = complete(TEAM, campaign, user=make_user(Role.ENTERPRISE))
    add_member(team, person.id_number)
    assert double_nominations(session, campaign) == {}  # drafts are not nominations yet
    for app in (person, team):
        applications.submit_application(session, app.id, app.created_by)
    found = double_nominations(session, campaign)
    assert list(found) == [person.id_number]
    assert [(n.application, n.as_member) for n in found[person.id_number]] == [
        (person, False),
        (team, True),
    ]
    assert list(nominated_elsewhere(session, team, [person.id_number])) == [person.id_number]


def test_the_same_person_through_two_units_is_flagged_and_different_people_are_not(session):
    campaign = ruled_campaign()
    first = complete(INDIVIDUAL, campaign)
    second = complete(INDIVIDUAL, campaign, user=make_user(Role.ENTERPRISE))
    third = complete(INDIVIDUAL, campaign, user=make_user(Role.ENTERPRISE))
    applications.update_application(
        session,
        third,
        third.created_by,
        fields={"id_number": make_id_number(date(1985, 3, 3), female=False)},
    )
    for app in (first, second, third):
        applications.submit_application(session, app.id, app.created_by)
    found = double_nominations(session, campaign)
    assert {n.application for n in found[first.id_number]} == {first, second}
    assert third.id_number not in found


def test_an_earlier_winner_is_flagged_by_a_team_members_id_number(session):
    number = make_id_number(date(1984, 8, 8), female=True)
    earlier_team = make_application(ApplicationState.AWARDED)
    add_member(earlier_team, number)
    honour = make_honour(kind=TEAM)
    honour.application = earlier_team
    session.flush()
    packet = make_application(ApplicationState.SUBMITTED, organization=make_org())
    assert honour_rules.holder_flags(session, packet) == []
    add_member(packet, number)
    session.expire(packet, ["members"])
    flags = honour_rules.holder_flags(session, packet)
    assert [(f.honour, f.same_person) for f in flags] == [(honour, True)]
