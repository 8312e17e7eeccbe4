"""The round, the unit's report and its deadline, returns, and who may make each move."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal import audit
from portal.accounts.models import Role
from portal.clock import shanghai_today
from portal.mail import OutboxMessage
from portal.organizations.models import ChannelLevel, OrgKind
from portal.reevaluation import service
from portal.reevaluation.errors import ReevaluationError
from portal.reevaluation.models import ReevaluationState
from portal.reevaluation.workflow import REEVALUATION_WORKFLOW
from tests.factories import district, make_org, make_user, shanghai
from tests.reevaluation.helpers import (
    REPORT,
    at_organizers,
    channel_of,
    opened,
    organizer,
    renewed_jointly,
    submitted,
    third_year_honour,
    unit_of,
)

S = ReevaluationState


def _refused(key: str, action, *args, **kwargs) -> None:
    with pytest.raises(ReevaluationError) as refused:
        action(*args, **kwargs)
    assert refused.value.key == key


def test_a_round_takes_only_current_titles_in_their_third_year(session):
    due = third_year_honour(days_left=100)
    second_year = third_year_honour(days_left=400)
    expired = third_year_honour(days_left=-1)
    r = opened(due)
    honours = {x.honour_id for x in r.round.reevaluations}
    assert honours == {due.id}
    assert second_year.id not in honours and expired.id not in honours
    assert r.term_ends_on == due.valid_until and r.state is S.OPEN
    # Each term is re-evaluated once: a second round finds nobody.
    _refused(
        "no_holders", service.open_round, session, make_user(Role.OFFICE), "再次", r.round.report_by
    )


def test_the_reporting_date_must_fall_before_the_first_title_expires(session):
    honour = third_year_honour(days_left=10)
    office = make_user(Role.OFFICE)
    _refused(
        "deadline_after_expiry", service.open_round, session, office, "复评", honour.valid_until
    )
    _refused(
        "deadline_past",
        service.open_round,
        session,
        office,
        "复评",
        shanghai_today() - timedelta(days=1),
    )


def test_only_the_office_opens_a_round(session):
    honour = third_year_honour()
    for role in (Role.ENTERPRISE, Role.CHANNEL_REVIEWER, Role.ORGANIZER):
        _refused(
            "not_allowed",
            service.open_round,
            session,
            make_user(role),
            "复评",
            honour.valid_until - timedelta(days=5),
        )


def test_an_incomplete_report_cannot_be_submitted(session):
    r = opened(third_year_honour())
    unit = unit_of(r.honour)
    service.save_report(session, r, unit, service.ReportData("变化", "", 12, None, 0))
    _refused("report_incomplete", service.submit_report, session, r, unit)
    assert r.state is S.OPEN


def test_the_report_is_due_by_the_end_of_its_day_in_beijing(session):
    r = opened(third_year_honour())
    unit = unit_of(r.honour)
    service.save_report(session, r, unit, REPORT)
    due = r.round.report_by
    # 00:30 in Beijing the next day is still the reporting day in UTC.
    late = shanghai(due.year, due.month, due.day, 0, 30) + timedelta(days=1)
    assert late.astimezone(tz=None).utctimetuple()[:3] == due.timetuple()[:3]
    _refused("report_closed", service.submit_report, session, r, unit, now=late)
    service.submit_report(session, r, unit, now=late - timedelta(hours=1))
    assert r.state is S.AT_CHANNEL


def test_the_channel_returns_and_the_unit_resubmits(session):
    r = submitted(opened(third_year_honour()))
    unit, channel = unit_of(r.honour), channel_of(r.honour)
    service.review(session, r, channel, False, "请补充近三个月的调查表")
    assert r.state is S.RETURNED and r.return_reason == "请补充近三个月的调查表"
    service.save_report(session, r, unit, REPORT)
    service.submit_report(session, r, unit)
    assert r.state is S.AT_CHANNEL
    service.review(session, r, channel, True, "同意")
    assert r.state is S.AT_OFFICE and r.channel_opinion == "同意" and r.return_reason == ""


def test_the_office_returns_to_the_unit(session):
    r = submitted(opened(third_year_honour()))
    service.review(session, r, channel_of(r.honour), True, "同意")
    service.review(session, r, make_user(Role.OFFICE), False, "满意率数据与调查表不符")
    assert r.state is S.RETURNED
    actions = [e.action for e in session.query(audit.AuditEntry).order_by(audit.AuditEntry.id)]
    assert "reevaluation.office_return" in actions


def test_a_review_needs_an_opinion(session):
    r = submitted(opened(third_year_honour()))
    _refused("reason_required", service.review, session, r, channel_of(r.honour), True, " ")


def test_another_unit_cannot_edit_or_submit(session):
    r = opened(third_year_honour())
    stranger = make_user(Role.ENTERPRISE)
    _refused("not_allowed", service.save_report, session, r, stranger, REPORT)
    service.save_report(session, r, unit_of(r.honour), REPORT)
    _refused("not_allowed", service.submit_report, session, r, stranger)


def test_another_channel_cannot_review(session):
    r = submitted(opened(third_year_honour()))
    other = make_org(
        OrgKind.CHANNEL, channel_level=ChannelLevel.DISTRICT, district=district("xuhui")
    )
    _refused(
        "not_allowed",
        service.review,
        session,
        r,
        make_user(Role.CHANNEL_REVIEWER, organization=other),
        True,
        "同意",
    )
    assert r.state is S.AT_CHANNEL


def test_each_step_belongs_to_its_role(session):
    r = submitted(opened(third_year_honour()))
    # The office cannot act for the channel, nor the organizers decide before the office.
    _refused("not_allowed", service.review, session, r, make_user(Role.OFFICE), True, "同意")
    _refused("wrong_state", service.decide, session, r, organizer(), True)
    _refused("wrong_state", service.submit_report, session, r, unit_of(r.honour))


def test_only_an_organizer_of_the_four_decides(session):
    r = at_organizers(opened(third_year_honour()))
    approver = organizer()  # the four organizers exist; another organizer body is not one
    _refused("not_allowed", service.decide, session, r, make_user(Role.OFFICE), True)
    _refused("not_an_organizer", service.decide, session, r, make_user(Role.ORGANIZER), True)
    assert r.state is S.AT_ORGANIZERS
    service.decide(session, r, approver, False, "近一年投诉增多")
    assert r.state is S.LAPSED


def test_the_office_lets_an_unreported_title_lapse_only_after_the_date(session):
    r = opened(third_year_honour())
    office = make_user(Role.OFFICE)
    _refused("report_still_open", service.let_lapse_unreported, session, r, office, "逾期未报")
    due = r.round.report_by + timedelta(days=1)
    service.let_lapse_unreported(
        session, r, office, "逾期未报", now=shanghai(due.year, due.month, due.day, 9, 0)
    )
    assert r.state is S.LAPSED and r.decided_at is not None


def _mails(session, address: str) -> list[OutboxMessage]:
    query = sa.select(OutboxMessage).where(OutboxMessage.recipient == address)
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def test_the_unit_is_mailed_when_asked_to_report_returned_and_decided(session):
    honour = third_year_honour()
    unit = unit_of(honour)
    r = opened(honour)
    [asked] = _mails(session, unit.email)
    assert r.round.report_by.isoformat() in asked.body
    assert honour.certificate_number in asked.body
    submitted(r, unit)
    service.review(session, r, channel_of(honour), False, "请补充调查表原件")
    assert "请补充调查表原件" in _mails(session, unit.email)[-1].body
    service.submit_report(session, r, unit)
    service.review(session, r, channel_of(honour), True, "同意")
    service.review(session, r, make_user(Role.OFFICE), True, "建议续期")
    renewed_jointly(r)
    assert honour.verification_code in _mails(session, unit.email)[-1].body
    assert len(_mails(session, unit.email)) == 3


ACTORS = {
    Role.ENTERPRISE: lambda r: unit_of(r.honour),
    Role.CHANNEL_REVIEWER: lambda r: channel_of(r.honour),
    Role.OFFICE: lambda r: make_user(Role.OFFICE),
    Role.ORGANIZER: lambda r: organizer(),
    Role.EXPERT: lambda r: make_user(Role.EXPERT),
    Role.ADMIN: lambda r: make_user(Role.ADMIN),
}


@pytest.mark.parametrize("source", list(S))
def test_every_move_outside_the_table_is_refused_for_every_role(session, source):
    """Moves from `source` that the table does not declare are refused to everyone, and a
    declared move is refused to every role it does not name; nothing changes state."""
    r = opened(third_year_honour())
    r.state = source
    if source in (S.RENEWED, S.LAPSED):  # what the CHECK constraints ask of a decided one
        r.decided_at = r.round.opened_at
        r.previous_certificate_number = r.honour.certificate_number
        r.previous_verification_code = "Z" * 10
        r.previous_awarded_on = r.honour.awarded_on
    session.flush()
    for target in S:
        declared = REEVALUATION_WORKFLOW.transition_for(source, target)
        for role, make in ACTORS.items():
            if declared is not None and role in declared.by:
                continue
            key = "wrong_state" if declared is None else "not_allowed"
            with pytest.raises(ReevaluationError) as refused:
                REEVALUATION_WORKFLOW.fire(session, r, target, actor=make(r), reason="理由")
            assert refused.value.key == key, (source, target, role)
            assert r.state is source
