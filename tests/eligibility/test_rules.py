"""The application conditions (申报条件): each passes and fails on the packet's own figures, the
office's edits change the outcome, and a failing packet cannot be submitted."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.accounts.models import Role
from portal.applications import service as applications
from portal.applications.errors import Incomplete
from portal.applications.models import ApplicationState
from portal.campaigns import service as campaigns
from portal.campaigns.models import CategoryKind
from portal.db import get_session
from portal.eligibility import service
from portal.eligibility.errors import EligibilityError, RulesInvalid
from portal.reference import seed_reference
from tests.applications.helpers import category, make_id_number, open_campaign
from tests.eligibility.helpers import (
    checks_by_code,
    complete,
    ruled_campaign,
    rules_row,
    signed,
)
from tests.factories import make_user
from tests.honours.helpers import make_honour

TEAM, INDIVIDUAL = CategoryKind.TEAM, CategoryKind.INDIVIDUAL


def _save(app, **fields):
    applications.update_application(get_session(), app, app.created_by, fields=fields)


def test_a_packet_meeting_every_default_condition_passes_and_submits(session):
    app = complete(TEAM)
    checks = checks_by_code(app)
    assert {code: c.passed for code, c in checks.items()} == {
        "founded": True,
        "members": True,
        "title": True,
        "declaration": True,
        "bar": True,
    }
    applications.submit_application(session, app.id, app.created_by)
    assert app.state is ApplicationState.SUBMITTED


def test_a_team_founded_less_than_two_years_before_the_reference_date_fails(session):
    app = complete(TEAM)
    _save(app, team_founded_on="2025-01-01")  # reference date 2026-11-10: 1 full year
    check = checks_by_code(app)["founded"]
    assert check.passed is False
    assert "1" in str(check.shows) and "2" in str(check.asks)
    with pytest.raises(Incomplete) as refused:
        applications.submit_application(session, app.id, app.created_by)
    assert [str(m) for m in refused.value.missing] == [
        "Application condition not met: Team founded long enough (founded on 2025-01-01, 1 "
        "full years before; required: founded at least 2 years before 2026-11-10)."
    ]
    assert app.state is ApplicationState.DRAFT


def test_a_team_founded_exactly_two_years_before_passes(session):
    app = complete(TEAM)
    _save(app, team_founded_on="2024-11-10")
    assert checks_by_code(app)["founded"].passed is True


def test_a_team_of_two_members_fails_and_of_three_passes(session):
    app = complete(TEAM)
    assert checks_by_code(app)["members"].passed is True  # three members
    applications.update_application(
        session,
        app,
        app.created_by,
        fields={},
        members=[
            {"name": "李红", "sex": "female", "birth_date": "1986-01-20", "post": "班组长"},
            {"name": "张伟", "sex": "male", "birth_date": "1996-12-01", "post": "柜员"},
        ],
    )
    check = checks_by_code(app)["members"]
    assert check.passed is False
    assert str(check.shows) == "2 members listed"
    assert str(check.asks) == "3 to 50 members"


def test_a_team_larger_than_the_maximum_fails(session):
    campaign = ruled_campaign()
    row = rules_row(campaign, TEAM)
    row.team_min_members, row.team_max_members = 1, 2
    app = complete(TEAM, campaign)
    assert checks_by_code(app)["members"].passed is False


def test_an_individual_under_three_years_in_the_post_fails(session):
    app = complete(INDIVIDUAL)
    assert checks_by_code(app)["post"].passed is True  # since 2018-03-01
    _save(app, post_start_date="2024-03-01")  # 2 full years on 2026-11-10
    check = checks_by_code(app)["post"]
    assert check.passed is False
    assert "2024-03-01" in str(check.shows)
    with pytest.raises(Incomplete):
        applications.submit_application(session, app.id, app.created_by)


def test_an_unsigned_declaration_fails_and_signing_it_passes(session):
    app = complete(TEAM, sign=False)
    assert checks_by_code(app)["declaration"].passed is False
    with pytest.raises(Incomplete):
        applications.submit_application(session, app.id, app.created_by)
    signed(app)
    assert checks_by_code(app)["declaration"].passed is True
    applications.submit_application(session, app.id, app.created_by)


def test_a_contested_declaration_fails_until_the_unit_signs_again(session):
    app = complete(TEAM)
    applications.submit_application(session, app.id, app.created_by)
    office = make_user(Role.OFFICE)
    service.contest_declaration(session, office, app, "2025年有一起经核实的重大投诉")
    check = checks_by_code(app)["declaration"]
    assert check.passed is False and "经核实" in str(check.shows)
    with pytest.raises(EligibilityError) as twice:
        service.contest_declaration(session, office, app, "again")
    assert twice.value.key == "already_contested"
    # a submitted packet cannot be re-signed by its unit
    with pytest.raises(EligibilityError):
        service.sign_declaration(session, app.created_by, app)


def test_only_reviewers_contest_and_only_with_a_reason(session):
    app = complete(TEAM)
    with pytest.raises(EligibilityError) as refused:
        service.contest_declaration(session, app.created_by, app, "理由")
    assert refused.value.key == "not_allowed"
    with pytest.raises(EligibilityError) as empty:
        service.contest_declaration(session, make_user(Role.CHANNEL_REVIEWER), app, "  ")
    assert empty.value.key == "reason_required"


def test_a_current_holder_of_the_same_title_fails_by_id_number(session):
    number = make_id_number(date(1990, 5, 17), female=True)
    earlier = make_honour(
        kind=INDIVIDUAL,
        awarded_on=date.today() - timedelta(days=400),
        id_number=number,
    )
    app = complete(INDIVIDUAL)  # the helper's individual carries the same ID number
    assert app.id_number == number
    check = checks_by_code(app)["title"]
    assert check.passed is False
    assert earlier.certificate_number in str(check.shows)


def test_a_team_holding_the_title_fails_and_a_revoked_or_old_title_does_not(session):
    app = complete(TEAM)
    honour = make_honour(
        organization=app.organization,
        awarded_on=date(2025, 12, 1),
        team_name=app.team_name,
    )
    assert checks_by_code(app)["title"].passed is False
    honour.awarded_on = date(2023, 11, 1)  # more than three years before 2026-11-10
    honour.valid_until = date(2026, 10, 31)
    assert checks_by_code(app)["title"].passed is True


def test_a_title_of_another_team_of_the_same_unit_does_not_count(session):
    app = complete(TEAM)
    make_honour(organization=app.organization, awarded_on=date(2025, 12, 1), team_name="别的班组")
    assert checks_by_code(app)["title"].passed is True


def test_editing_a_rule_changes_the_outcome(session):
    campaign = ruled_campaign()
    app = complete(TEAM, campaign)
    assert checks_by_code(app)["founded"].passed is True  # founded 2015
    office = make_user(Role.OFFICE)
    team = category(campaign, TEAM)
    values = {c.id: {} for c in campaign.categories}
    values[team.id] = {"founded_min_years": 20, "team_min_members": 3, "team_max_members": 50}
    service.update_rules(session, office, campaign, values)
    assert checks_by_code(app)["founded"].passed is False
    assert "declaration" not in checks_by_code(app)  # left empty: out of force
    values[team.id]["founded_min_years"] = None
    service.update_rules(session, office, campaign, values)
    assert "founded" not in checks_by_code(app)


def test_rules_out_of_range_are_refused_all_at_once(session):
    campaign = ruled_campaign()
    team = category(campaign, TEAM)
    values = {team.id: {"team_min_members": 10, "team_max_members": 5, "founded_min_years": 101}}
    with pytest.raises(RulesInvalid) as refused:
        service.update_rules(session, make_user(Role.OFFICE), campaign, values)
    assert set(refused.value.problems) == {
        f"c{team.id}-team_max_members",
        f"c{team.id}-founded_min_years",
    }
    assert rules_row(campaign, TEAM).founded_min_years == 2


def test_only_the_office_edits_rules(session):
    campaign = ruled_campaign()
    with pytest.raises(EligibilityError):
        service.update_rules(session, make_user(Role.CHANNEL_REVIEWER), campaign, {})


def test_a_new_campaign_gets_the_defaults_and_a_copy_keeps_the_edits(session):
    office = make_user(Role.OFFICE)
    seed_reference(session)
    settings = campaigns.default_settings(session, 2061)
    created = campaigns.create_campaign(session, office, settings)
    team = rules_row(created, TEAM)
    individual = rules_row(created, INDIVIDUAL)
    assert (team.founded_min_years, team.team_min_members, team.team_max_members) == (2, 3, 50)
    assert (individual.post_min_years, individual.clean_record_years) == (3, 2)
    assert individual.founded_min_years is None
    team.team_max_members = 30
    copy = campaigns.copy_campaign(session, office, created, 2062)
    assert rules_row(copy, TEAM).team_max_members == 30
    assert rules_row(copy, INDIVIDUAL).post_min_years == 3


def test_a_campaign_without_rules_judges_only_the_integrity_bar(session):
    app = complete(TEAM, campaign=open_campaign(), sign=False)
    assert list(checks_by_code(app)) == ["bar"]
