"""Without SMTP configured, mail stays in the outbox and nothing is delivered."""

from __future__ import annotations

import sqlalchemy as sa

from portal.mail import OutboxMessage, OutboxStatus, send_mail


def test_without_smtp_the_message_stays_in_the_outbox_only(app, session):
    assert app.config["MAIL_SMTP_HOST"] is None
    message = send_mail(session, "li@example.com", "Subject", "Body")
    session.commit()
    session.refresh(message)
    stored = session.scalars(sa.select(OutboxMessage)).all()
    assert [(m.recipient, m.subject, m.body) for m in stored] == [
        ("li@example.com", "Subject", "Body")
    ]
    # Committed without an SMTP server: no attempt was made, it waits for one.
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)
    assert (message.delivered_at, message.last_error) == (None, None)
