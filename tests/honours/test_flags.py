"""Repeat applicants: a packet from a current holder, or one revoked in the last three years."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask_login import login_user

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.campaigns.models import CategoryKind
from portal.honours import rules
from portal.honours.models import HonourStatus
from tests.factories import make_application, make_campaign, make_org, make_user
from tests.honours.helpers import make_honour

ID_NUMBER = "310101198805061234"


def _today():
    return rules.shanghai_today()


def _new_packet(organization=None, **fields):
    return make_application(
        ApplicationState.SUBMITTED,
        campaign=make_campaign(year=2040),
        organization=organization,
        **fields,
    )


def test_a_packet_from_a_current_holder_is_flagged(session):
    unit = make_org()
    honour = make_honour(organization=unit)
    flags = rules.holder_flags(session, _new_packet(unit))
    assert [(f.honour, f.status, f.same_person) for f in flags] == [
        (honour, HonourStatus.ACTIVE, False)
    ]


def test_an_expired_honour_is_not_flagged(session):
    unit = make_org()
    make_honour(organization=unit, awarded_on=_today() - timedelta(days=3 * 366))
    assert rules.holder_flags(session, _new_packet(unit)) == []


def test_a_revocation_flags_for_three_years(session):
    unit = make_org()
    recent = make_honour(organization=unit, revoked_on=_today() - timedelta(days=3 * 365 - 2))
    make_honour(
        organization=unit,
        awarded_on=_today() - timedelta(days=6 * 365),
        revoked_on=_today() - timedelta(days=3 * 366 + 1),
    )
    flags = rules.holder_flags(session, _new_packet(unit))
    assert [(f.honour, f.revoked) for f in flags] == [(recent, True)]


def test_an_individual_is_flagged_by_id_number_in_another_unit(session):
    honour = make_honour(kind=CategoryKind.INDIVIDUAL, id_number=ID_NUMBER)
    packet = _new_packet(make_org(), kind=CategoryKind.INDIVIDUAL, id_number=ID_NUMBER)
    flags = rules.holder_flags(session, packet)
    assert [(f.honour, f.same_person) for f in flags] == [(honour, True)]


def test_the_packets_own_campaign_and_other_units_are_not_flagged(session):
    unit = make_org()
    honour = make_honour(organization=unit)
    same_campaign = make_application(
        ApplicationState.SUBMITTED, campaign=honour.campaign, organization=unit
    )
    assert rules.holder_flags(session, same_campaign) == []
    assert rules.holder_flags(session, _new_packet(make_org())) == []


def _render_flags(app, user, packet) -> str:
    with app.test_request_context():
        login_user(user)
        return render_template("honours/_holder_flag.html", app=packet)


def test_reviewers_and_the_office_see_the_flag_the_enterprise_does_not(app, session):
    unit = make_org()
    honour = make_honour(organization=unit, revoked_on=_today(), reason="经查实拒绝服务")
    packet = _new_packet(unit)
    shown = _render_flags(app, make_user(Role.OFFICE), packet)
    assert 'data-testid="holder-flags"' in shown
    assert "经查实拒绝服务" in shown and str(honour.campaign.year) in shown
    for role in (Role.CHANNEL_REVIEWER, Role.EXPERT):
        assert 'data-testid="holder-flags"' in _render_flags(app, make_user(role), packet)
    assert _render_flags(app, make_user(Role.ENTERPRISE, organization=unit), packet).strip() == ""
