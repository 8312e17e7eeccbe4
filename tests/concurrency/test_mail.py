"""Mail after commit, with real commits: a rollback sends nothing, workers share the outbox,
and a slow mail server holds up no audited write."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role, User
from portal.accounts.service_users import NewUser, create_user
from portal.audit import AuditEntry
from portal.db import get_session
from portal.mail import OutboxMessage, OutboxStatus, deliver_due, send_mail
from portal.organizations.models import OrgKind
from tests.concurrency.conftest import client_for, race, seeded
from tests.factories import make_org, make_user
from tests.smtp import running_smtp_server


@pytest.fixture
def smtp_server():
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def mailing_app(racing_app, smtp_server):
    racing_app.config.update(smtp_server.config())
    return racing_app


def _outbox(app) -> list[tuple[str, OutboxStatus, int, bool]]:
    """(recipient, status, attempts, secret still kept) of every outbox row, as committed."""
    with seeded(app) as session:
        rows = session.scalars(
            sa.select(OutboxMessage)
            .order_by(OutboxMessage.id)
            .options(sa.orm.undefer(OutboxMessage.sealed_body))
        ).all()
        return [(m.recipient, m.status, m.attempts, m.sealed_body is not None) for m in rows]


def test_mail_of_a_transaction_that_rolls_back_is_never_delivered(mailing_app, smtp_server):
    assert mailing_app.config["MAIL_DELIVERY"] == "after_commit"
    with seeded(mailing_app):
        office_id = make_user(Role.OFFICE).id
        org_id = make_org(OrgKind.ENTERPRISE).id
    with mailing_app.app_context():
        session = get_session()
        office = session.get(User, office_id)
        new = NewUser(
            name="王审核", email="wang@example.com", role=Role.ENTERPRISE, organization_id=org_id
        )
        _user, message = create_user(session, office, new)  # mails a set-password link
        assert message is not None
        session.rollback()
        # The same session's next commit delivers its own mail, not the rolled-back one.
        send_mail(session, "li@example.com", "S", "B")
        session.commit()
        assert deliver_due().taken == 0  # nor does a worker find it
    assert [r.rcpt_tos for r in smtp_server.handler.received] == [["li@example.com"]]
    assert _outbox(mailing_app) == [("li@example.com", OutboxStatus.SENT, 1, False)]


def test_parallel_workers_deliver_each_due_message_exactly_once(mailing_app, smtp_server):
    mailing_app.config["MAIL_DELIVERY"] = "worker"
    recipients = [f"expert{i:02d}@example.com" for i in range(24)]
    with seeded(mailing_app) as session:
        for address in recipients:
            send_mail(session, address, "Assignment", f"Dear {address}")

    def work(_i: int):
        with mailing_app.app_context():
            return deliver_due()

    counts = race(4, work)
    assert sum(c.sent for c in counts) == 24
    assert sum(c.retrying + c.failed for c in counts) == 0
    delivered = sorted(to for r in smtp_server.handler.received for to in r.rcpt_tos)
    assert delivered == recipients
    assert _outbox(mailing_app) == [(a, OutboxStatus.SENT, 1, False) for a in recipients]


def _new_user_form(org_id: int, email: str, mode: str) -> dict:
    form = {"name": "新用户", "email": email, "mobile": "", "password_mode": mode}
    form |= {"role": "enterprise", "organization_id": org_id}
    return form | ({"password": "initial-password-1"} if mode == "initial" else {})


@pytest.mark.parametrize("delivery", ["after_commit", "worker"])
def test_a_stalled_mail_server_holds_up_no_audited_write(mailing_app, smtp_server, delivery):
    mailing_app.config["MAIL_DELIVERY"] = delivery
    with seeded(mailing_app):
        office = make_user(Role.OFFICE)
        org_id = make_org(OrgKind.ENTERPRISE).id
    hold = smtp_server.handler.hold = threading.Event()
    # The office opens an account by set-password link: audited, and mailed.
    opener = client_for(mailing_app, office)
    results: dict[str, int] = {}

    def open_by_link():
        form = _new_user_form(org_id, "link@example.com", "link")
        results["link"] = opener.post("/office/users/new", data=form).status_code
        if delivery == "worker":
            with mailing_app.app_context():
                results["worker"] = deliver_due().sent

    first = threading.Thread(target=open_by_link, daemon=True)
    first.start()
    try:
        assert smtp_server.handler.holding.wait(20), "the mail never reached the server"
        # While that mail is stuck in SMTP, another audited write goes through at once.
        second = threading.Thread(
            target=lambda: results.update(
                initial=client_for(mailing_app, office)
                .post("/office/users/new", data=_new_user_form(org_id, "pw@example.com", "initial"))
                .status_code
            ),
            daemon=True,
        )
        second.start()
        second.join(10)
        assert results.get("initial") == 302, "an audited write waited for the mail server"
        assert smtp_server.handler.received == []
    finally:
        hold.set()
        first.join(30)
    assert results["link"] == 302
    (received,) = smtp_server.handler.received
    assert received.rcpt_tos == ["link@example.com"]
    assert "/password/reset/" in received.message.get_content()
    # Delivered, the link is no longer kept anywhere.
    assert _outbox(mailing_app) == [("link@example.com", OutboxStatus.SENT, 1, False)]
    with seeded(mailing_app) as session:
        actions = session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions.count("user.create") == 2
