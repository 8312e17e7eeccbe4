"""Outgoing mail: kept in the outbox always, delivered to a real SMTP server after commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.db import utcnow
from portal.mail import OutboxMessage, OutboxStatus, send_mail
from tests.accounts.helpers import english, reset_path
from tests.factories import make_user
from tests.smtp import free_port, running_smtp_server


@pytest.fixture
def smtp_server():
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, **smtp_server.config()}


def test_message_arrives_at_the_smtp_server_after_commit_and_is_marked_delivered(
    session, smtp_server
):
    message = send_mail(session, "li@example.com", "Subject 主题", "Body 正文\nline two")
    # Inside the transaction nothing has been sent yet.
    assert smtp_server.handler.received == []
    assert message.status is OutboxStatus.PENDING
    session.commit()
    session.refresh(message)
    assert message.status is OutboxStatus.SENT
    assert (message.attempts, message.last_error) == (1, None)
    assert message.delivered_at is not None
    (received,) = smtp_server.handler.received
    assert (received.mail_from, received.rcpt_tos) == (
        "service-star@portal.test",
        ["li@example.com"],
    )
    parsed = received.message
    assert parsed["To"] == "li@example.com"
    assert parsed["From"] == "service-star@portal.test"
    assert parsed["Subject"] == "Subject 主题"
    assert parsed.get_content() == "Body 正文\nline two\n"


def test_password_reset_mail_travels_by_smtp_with_its_link(client, session, smtp_server):
    user = make_user(Role.ENTERPRISE)
    english(client)
    client.post("/password/forgot", data={"email": user.email})
    stored = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == user.email))
    assert stored.delivered_at is not None
    assert stored.status is OutboxStatus.SENT
    (body,) = smtp_server.handler.bodies_to(user.email)
    assert client.get(reset_path(body)).status_code == 200
    # Delivered: the outbox keeps no copy of the link.
    assert "/password/reset/" not in stored.body
    assert stored.sealed_body is None


def test_unreachable_smtp_keeps_the_message_with_its_error_for_a_retry(app, session):
    app.config["MAIL_SMTP_PORT"] = free_port()  # nothing listens there
    message = send_mail(session, "li@example.com", "S", "B")
    session.commit()
    session.refresh(message)
    assert message.status is OutboxStatus.PENDING
    assert message.delivered_at is None
    assert message.attempts == 1
    assert message.last_error.startswith("ConnectionRefusedError")
    # Retried after the first backoff (MAIL_RETRY_SECONDS), not at once.
    wait = message.next_attempt_at - utcnow()
    assert timedelta(seconds=55) < wait <= timedelta(seconds=60)
    assert message.body == "B"


def test_a_savepoint_sends_nothing_until_the_whole_transaction_commits(session, smtp_server):
    with session.begin_nested():
        send_mail(session, "li@example.com", "S", "B")
    assert smtp_server.handler.received == []
    session.commit()
    assert [r.rcpt_tos for r in smtp_server.handler.received] == [["li@example.com"]]


def test_mail_added_in_a_savepoint_that_rolls_back_is_never_sent(session, smtp_server):
    nested = session.begin_nested()
    send_mail(session, "li@example.com", "Withdrawn", "B")
    nested.rollback()
    send_mail(session, "wang@example.com", "Kept", "B")
    session.commit()
    assert [r.rcpt_tos for r in smtp_server.handler.received] == [["wang@example.com"]]
    assert session.scalars(sa.select(OutboxMessage.subject)).all() == ["Kept"]
