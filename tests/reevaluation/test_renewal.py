"""A re-evaluation that renews a title and one that lets it lapse, as the public sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal import audit
from portal.clock import shanghai_today
from portal.honours.rules import valid_until_for
from portal.reevaluation import service
from portal.reevaluation.errors import ReevaluationError
from portal.reevaluation.models import ReevaluationState
from tests.factories import shanghai
from tests.notice.helpers import four_organizers
from tests.reevaluation.helpers import (
    at_organizers,
    opened,
    organizer,
    renewed_jointly,
    third_year_honour,
)


def test_renewal_gives_a_new_term_certificate_and_code_that_verify_publicly(client, session):
    honour = third_year_honour(days_left=60)
    old_number, old_code = honour.certificate_number, honour.verification_code
    old_start, old_end = honour.awarded_on, honour.valid_until
    r = at_organizers(opened(honour))

    renewed_jointly(r)
    session.flush()

    assert r.state is ReevaluationState.RENEWED
    assert honour.awarded_on == old_end + timedelta(days=1)
    assert honour.valid_until == valid_until_for(old_end + timedelta(days=1))
    assert honour.certificate_number == f"{old_number}-R1"
    assert honour.verification_code != old_code
    page = client.get(f"/honours/verify?code={honour.verification_code}").get_data(as_text=True)
    assert 'data-status="active"' in page
    assert "该称号有效：已经复评续期。" in page
    assert f"{honour.awarded_on.isoformat()} – {honour.valid_until.isoformat()}" in page
    # The history shows both terms: the earlier one with its own number.
    assert f"{old_start.isoformat()} – {old_end.isoformat()} · {old_number}" in page


def test_the_old_certificate_code_leads_to_the_renewed_title(client, session):
    honour = third_year_honour()
    old_code = honour.verification_code
    r = at_organizers(opened(honour))
    renewed_jointly(r)
    session.flush()

    response = client.get(f"/honours/verify?code={old_code.lower()}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-testid="verify-retired"' in page
    assert honour.certificate_number in page
    assert 'data-status="active"' in page


def test_renewal_is_audited_with_both_certificate_numbers(session):
    honour = third_year_honour()
    old_number = honour.certificate_number
    r = at_organizers(opened(honour))
    renewed_jointly(r)
    entry = session.query(audit.AuditEntry).filter_by(action="reevaluation.renew").one()
    assert entry.after["previous_certificate_number"] == old_number
    assert entry.after["certificate_number"] == f"{old_number}-R1"


def test_a_second_renewal_numbers_on(session):
    honour = third_year_honour()
    first = honour.certificate_number
    r = at_organizers(opened(honour))
    renewed_jointly(r)
    assert service.renewal_number(session, honour) == f"{first}-R2"


def test_a_lapsed_title_stays_valid_to_its_date_and_then_shows_expired(
    client, session, monkeypatch
):
    honour = third_year_honour(days_left=30)
    ends_on, code = honour.valid_until, honour.verification_code
    r = at_organizers(opened(honour))

    service.decide(session, r, organizer(), renew=False, reason="近一年发生两起经核实的投诉")
    session.flush()

    assert r.state is ReevaluationState.LAPSED
    assert honour.valid_until == ends_on and honour.verification_code == code
    last_day = shanghai(ends_on.year, ends_on.month, ends_on.day, 23, 30)
    monkeypatch.setattr("portal.clock.utcnow", lambda: last_day)
    page = client.get(f"/honours/verify?code={code}").get_data(as_text=True)
    assert 'data-status="active"' in page
    day_after = last_day + timedelta(hours=1)  # 00:30 in Beijing, still the last day in UTC
    monkeypatch.setattr("portal.clock.utcnow", lambda: day_after)
    page = client.get(f"/honours/verify?code={code}").get_data(as_text=True)
    assert 'data-status="expired"' in page
    assert 'data-testid="past-term"' not in page
    assert honour.holder_name not in client.get("/honours").get_data(as_text=True)


def test_a_lapse_needs_a_reason(session):
    r = at_organizers(opened(third_year_honour()))
    with pytest.raises(ReevaluationError) as refused:
        service.decide(session, r, organizer(), renew=False, reason="  ")
    assert refused.value.key == "reason_required"
    assert r.state is ReevaluationState.AT_ORGANIZERS


def test_a_title_that_expired_before_the_decision_cannot_be_renewed(session):
    honour = third_year_honour(days_left=5)
    r = at_organizers(opened(honour, report_by=shanghai_today() + timedelta(days=1)))
    day_after = honour.valid_until + timedelta(days=1)
    late = shanghai(day_after.year, day_after.month, day_after.day, 9, 0)
    *first, last = four_organizers().values()
    for user in first:
        service.decide(session, r, user, renew=True)
    with pytest.raises(ReevaluationError) as refused:
        service.decide(session, r, last, renew=True, now=late)
    assert refused.value.key == "expired"
    assert honour.valid_until < late.date()


def test_the_four_organizers_renew_jointly_and_each_answers_once(session):
    r = at_organizers(opened(third_year_honour()))
    *first, last = four_organizers().values()
    for user in first:
        assert service.decide(session, r, user, renew=True) is False
    assert r.state is ReevaluationState.AT_ORGANIZERS
    with pytest.raises(ReevaluationError) as refused:
        service.decide(session, r, first[0], renew=True)
    assert refused.value.key == "already_voted"
    assert service.decide(session, r, last, renew=True) is True
    assert r.state is ReevaluationState.RENEWED and len(r.votes) == 4


def test_any_one_organizer_lets_the_title_lapse(session):
    r = at_organizers(opened(third_year_honour()))
    yes, no, *_ = four_organizers().values()
    service.decide(session, r, yes, renew=True)
    service.decide(session, r, no, renew=False, reason="近一年发生两起经核实的投诉")
    assert r.state is ReevaluationState.LAPSED
    assert r.decision_reason == "近一年发生两起经核实的投诉"
