"""The formal check's return for completion (退回补正): everything missing at once with a due
date, the mail, the enterprise's page, the resubmission back to the formal check, and what
happens once the due date has passed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications import service as applications
from portal.applications.errors import ApplicationError
from portal.applications.models import ApplicationState
from portal.applications.workflow import fire
from portal.audit import AuditEntry
from portal.db import get_session
from portal.mail import OutboxMessage
from portal.organizations.models import OrgSystem
from portal.review import completion, service
from portal.review.models import Decision, StageDecision
from tests.applications.helpers import make_submitted
from tests.factories import make_user, shanghai
from tests.review.helpers import make_world

S = ApplicationState
SYSTEMS = (OrgSystem.UNION, OrgSystem.YOUTH, OrgSystem.WOMEN, OrgSystem.QUALITY)
NOTE = "推荐表第三栏缺少单位负责人签字，请补签后重新扫描上传。"


def recommended(world):
    """A complete packet walked through every channel stage and recommended."""
    session = get_session()
    app = make_submitted(campaign=world.campaign)
    app.organization.contact_email = "contact@unit.example.com"
    for system in SYSTEMS:
        service.decide(session, app.id, world.reviewer(system), Decision.FORWARD)
    fire(session, app, S.RECOMMENDED, world.reviewer(OrgSystem.QUALITY))
    return app


def in_days(days: int) -> date:
    return completion.default_due_day() + timedelta(days=days - completion.DEFAULT_DAYS)


def _return(session, app, office, items=("sealed_form", "survey"), note=NOTE, due=None, **kw):
    return completion.request_completion(
        session, app.id, office, list(items), note, due or in_days(7), **kw
    )


def mails(session, recipient):
    return list(
        session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.id)
        )
    )


# --- the service --------------------------------------------------------------------------


def test_the_office_returns_a_recommended_packet_listing_everything_at_once(session):
    world = make_world()
    app = recommended(world)
    record = _return(session, app, world.office)
    assert app.state is S.INCOMPLETE
    assert record.decision is Decision.COMPLETION
    assert record.missing_items == ["sealed_form", "survey"]
    assert record.opinion == NOTE
    assert record.due_at == completion.due_instant(in_days(7))
    [entry] = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "application.return_for_completion")
    ).all()
    assert entry.after["items"] == ["sealed_form", "survey"]
    assert (
        entry.reason.startswith("1. The sealed and signed application form")
        and NOTE in entry.reason
    )
    # the enterprise's creator and its contact are mailed the whole list and the due date
    for address in (app.created_by.email, "contact@unit.example.com"):
        [mail] = [m for m in mails(session, address) if "completion" in m.subject]
        assert mail.subject == f"Your application “{app.title}” was returned for completion"
        assert "1. The sealed and signed application form (scan) is missing" in mail.body
        assert "2. The customer evaluation surveys are missing or too few" in mail.body
        assert NOTE in mail.body
        due = completion.due_instant(in_days(7)).strftime("%Y-%m-%d %H:%M")
        assert due in mail.body


@pytest.mark.parametrize(
    ("items", "note", "due_days", "key"),
    [
        ((), "  ", 7, "completion_empty"),
        (("nonsense",), "", 7, "completion_empty"),
        (("photo",), "", -1, "completion_due_invalid"),
        (("photo",), "x" * 2001, 7, "opinion_too_long"),
    ],
)
def test_an_empty_list_or_a_past_due_date_is_refused(session, items, note, due_days, key):
    world = make_world()
    app = recommended(world)
    with pytest.raises(ApplicationError) as err:
        _return(session, app, world.office, items, note, in_days(due_days))
    assert err.value.key == key
    assert app.state is S.RECOMMENDED


def test_the_due_day_is_a_beijing_day_enforced_on_the_server(session):
    world = make_world()
    app = recommended(world)
    # 23:30 in Beijing on 6 December: that day is still open, until its midnight there.
    late_evening = shanghai(2026, 12, 6, 23, 30)
    with pytest.raises(ApplicationError) as err:
        _return(session, app, world.office, due=date(2026, 12, 5), now=late_evening)
    assert err.value.key == "completion_due_invalid"
    record = _return(session, app, world.office, due=date(2026, 12, 6), now=late_evening)
    assert record.due_at == shanghai(2026, 12, 7, 0, 0)


def test_only_the_office_and_only_at_the_formal_check(session):
    world = make_world()
    app = recommended(world)
    for actor in (world.reviewer(OrgSystem.QUALITY), app.created_by, make_user(Role.ADMIN)):
        with pytest.raises(ApplicationError) as err:
            _return(session, app, actor)
        assert err.value.key == "not_allowed"
    accepted = recommended(world)
    service.decide(session, accepted.id, world.office, Decision.ACCEPT, "齐全")
    with pytest.raises(ApplicationError) as err:
        _return(session, accepted, world.office)
    assert err.value.key == "not_at_formal_check"


def test_the_resubmitted_packet_comes_back_to_the_formal_check_after_the_application_deadline(
    session,
):
    world = make_world()
    app = recommended(world)
    position = app.stage_position
    closed = world.campaign.application_deadline + timedelta(hours=1)
    due = (closed + timedelta(days=5)).astimezone(completion.SHANGHAI).date()
    _return(session, app, world.office, due=due, now=closed)
    assert applications.completeness(app) == []
    version = applications.submit_application(
        session, app.id, app.created_by, now=closed + timedelta(days=1)
    )
    assert version.number == 2
    assert (app.state, app.stage_position) == (S.RECOMMENDED, position)
    assert app in service.formal_check_queue(session, world.campaign)[0]
    # the office decides on the completed version; the channel stages are not asked again
    record = service.decide(session, app.id, world.office, Decision.ACCEPT, "材料已补齐")
    assert (record.version_number, app.state) == (2, S.ACCEPTED)
    decisions = session.scalars(
        sa.select(StageDecision).where(StageDecision.application_id == app.id)
    )
    assert [d.decision.value for d in decisions] == ["forward"] * 4 + ["completion", "accept"]


def test_past_the_due_date_the_enterprise_cannot_resubmit_and_the_office_rejects(session):
    world = make_world()
    app = recommended(world)
    now = shanghai(2026, 12, 1, 10, 0)
    world.campaign.application_deadline = now - timedelta(days=1)
    _return(session, app, world.office, due=date(2026, 12, 3), now=now)
    due = shanghai(2026, 12, 4, 0, 0)
    # before the due date the office waits; it cannot reject yet
    with pytest.raises(ApplicationError) as err:
        completion.reject_overdue(
            session, app.id, world.office, "逾期未补正", now=due - timedelta(seconds=1)
        )
    assert err.value.key == "completion_pending"
    with pytest.raises(ApplicationError) as err:
        applications.submit_application(session, app.id, app.created_by, now=due)
    assert err.value.key == "completion_overdue"
    assert [
        a for a, _r, late in completion.awaiting_completion(session, world.campaign, due) if late
    ] == [app]
    with pytest.raises(ApplicationError) as err:
        completion.reject_overdue(session, app.id, world.office, " ", now=due)
    assert err.value.key == "opinion_required"
    completion.reject_overdue(session, app.id, world.office, "逾期未补正盖章申报表", now=due)
    assert app.state is S.REJECTED
    [mail] = [m for m in mails(session, app.created_by.email) if "formal check" in m.subject]
    assert "Reason: 逾期未补正盖章申报表" in mail.body


# --- the pages ----------------------------------------------------------------------------


def test_the_office_returns_it_from_the_review_page_with_a_confirmation(session, client, login):
    world = make_world()
    app = recommended(world)
    login(world.office)
    page = client.get(f"/review/applications/{app.id}").get_data(as_text=True)
    assert 'data-testid="completion-form"' in page
    assert 'data-testid="request-completion" data-confirm="Return the application' in page
    assert 'value="sealed_form"' in page
    response = client.post(
        f"/review/applications/{app.id}/completion",
        data={
            "items": ["evidence", "photo"],
            "note": NOTE,
            "due_on": in_days(7).isoformat(),
            "lock_version": app.lock_version,
        },
    )
    assert response.status_code == 302
    session.refresh(app)
    assert app.state is S.INCOMPLETE
    queue = client.get(f"/review/formal-check?campaign={world.campaign.id}").get_data(as_text=True)
    assert f'data-testid="incomplete-{app.id}"' in queue


def test_the_page_refuses_a_past_due_date_in_words(session, client, login):
    world = make_world()
    app = recommended(world)
    login(world.office)
    response = client.post(
        f"/review/applications/{app.id}/completion",
        data={"items": ["photo"], "due_on": in_days(-1).isoformat()},
    )
    assert response.status_code == 422
    assert "it cannot be a day already over" in response.get_data(as_text=True)
    session.refresh(app)
    assert app.state is S.RECOMMENDED


def test_the_enterprise_reads_the_list_and_resubmits_others_do_not_see_it(session, client, login):
    world = make_world()
    app = recommended(world)
    _return(session, app, world.office)
    login(app.created_by)
    page = client.get(f"/applications/{app.id}").get_data(as_text=True)
    assert 'data-testid="completion-request"' in page
    assert "The sealed and signed application form (scan) is missing or unreadable" in page
    assert NOTE in page
    assert "Resubmit the completed application" in page
    listing = client.get("/applications/").get_data(as_text=True)
    assert 'data-testid="completion-mark"' in listing
    response = client.post(f"/applications/{app.id}/submit")
    assert response.status_code == 302
    session.refresh(app)
    assert app.state is S.RECOMMENDED
    client.post("/logout")
    login(make_user(Role.ENTERPRISE))
    assert client.get(f"/applications/{app.id}").status_code == 404
    client.post("/logout")  # and the public is sent to log in
    response = client.get(f"/applications/{app.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_completion_moves_are_declared_with_who_makes_each():
    from portal.applications.workflow import APPLICATION_WORKFLOW

    declared = {
        pair: (t.name, set(t.by), t.needs_reason)
        for pair, t in APPLICATION_WORKFLOW.transitions.items()
        if S.INCOMPLETE in pair
    }
    assert declared == {
        (S.RECOMMENDED, S.INCOMPLETE): ("return_for_completion", {Role.OFFICE}, True),
        (S.INCOMPLETE, S.RECOMMENDED): ("resubmit_completed", {Role.ENTERPRISE}, False),
        (S.INCOMPLETE, S.REJECTED): ("reject", {Role.OFFICE}, True),
    }


@pytest.mark.parametrize("system", [OrgSystem.UNION, None])
def test_a_plain_decision_cannot_claim_to_be_a_return_for_completion(session, system):
    """Only request_completion returns for completion (with its list and due date): the
    decision endpoint refuses the value instead of treating it as a channel decision."""
    world = make_world()
    if system is None:
        app, actor = recommended(world), world.office
    else:
        app, actor = make_submitted(campaign=world.campaign), world.reviewer(system)
    before = app.state
    with pytest.raises(ApplicationError) as err:
        service.decide(session, app.id, actor, "completion", "缺材料")
    assert err.value.key == "not_allowed"
    assert app.state is before


def test_a_packet_out_for_completion_still_counts_as_recommended(session):
    """The balance dashboard and the archive index name it, rather than losing it."""
    from portal.recommendations.dashboard import citywide_dashboard
    from portal.records.archive_index import packet_rows

    world = make_world()
    app = recommended(world)
    _return(session, app, world.office)
    assert citywide_dashboard(session, world.campaign).overall.figures.total == 1
    [row] = packet_rows([app], [])
    assert "退回补正" in row


def test_past_the_due_date_the_page_says_so_instead_of_offering_to_resubmit(session, client, login):
    world = make_world()
    app = recommended(world)
    record = _return(session, app, world.office)
    record.due_at = completion.due_instant(in_days(-1))  # the due date has passed meanwhile
    session.flush()
    login(app.created_by)
    page = client.get(f"/applications/{app.id}").get_data(as_text=True)
    assert 'data-testid="completion-closed"' in page
    assert "Resubmit the completed application" not in page
    assert 'data-testid="completion-overdue"' in page
    response = client.post(f"/applications/{app.id}/submit", follow_redirects=True)
    assert "it can no longer be resubmitted" in response.get_data(as_text=True)
    session.refresh(app)
    assert app.state is S.INCOMPLETE
