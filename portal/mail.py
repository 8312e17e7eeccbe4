"""Outgoing mail: every message is kept in the outbox; SMTP delivers it when configured.

A secret a message carries (a password-reset or set-password link) is for its recipient alone:
the outbox keeps the body with the secret withheld, which is all any page shows, and the full
body in a separate column that only delivery reads and that is wiped once the mail is out.
"""

from __future__ import annotations

import smtplib
from datetime import datetime
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class OutboxMessage(Base):
    """A message the portal sent or meant to send."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    # What the office may read: a secret in the message is replaced by a notice.
    body: Mapped[str] = mapped_column(sa.Text)
    # The body as the recipient gets it, secret included; only for messages carrying a secret,
    # read by delivery alone and cleared once delivered. Deferred so no listing loads it.
    sealed_body: Mapped[str | None] = mapped_column(sa.Text, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(sa.Text)


def send_mail(
    session: Session, recipient: str, subject: str, body: str, *, secret: str | None = None
) -> OutboxMessage:
    """Keep the message in the outbox and hand it to SMTP if one is configured.

    `secret` is a part of body (a link or code) meant for the recipient alone: the outbox shows
    a notice in its place and keeps the full body sealed until delivery. In development without
    SMTP, a message carrying a secret is written to the server console, so the demo's users
    can still follow their links; elsewhere it waits in the outbox.
    """
    shown = body.replace(secret, _("[withheld: sent to the recipient only]")) if secret else body
    message = OutboxMessage(
        recipient=recipient, subject=subject, body=shown, sealed_body=body if secret else None
    )
    session.add(message)
    if current_app.config.get("MAIL_SMTP_HOST"):
        deliver(message)
    elif secret and current_app.config.get("ENV") == "development":
        current_app.logger.warning(
            "development, no SMTP: mail to %s\n%s\n%s", recipient, subject, body
        )
    session.flush()
    return message


def deliver(message: OutboxMessage) -> None:
    """Hand one outbox message to SMTP; on success mark it delivered and clear its secret."""
    try:
        _deliver_smtp(message.recipient, message.subject, message.sealed_body or message.body)
    except (OSError, smtplib.SMTPException) as exc:
        message.error = f"{type(exc).__name__}: {exc}"
        current_app.logger.warning("mail to %s not delivered: %s", message.recipient, exc)
    else:
        message.delivered_at = utcnow()
        message.error = None
        message.sealed_body = None


def _deliver_smtp(recipient: str, subject: str, body: str) -> None:
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_SENDER"]
    msg["To"] = recipient
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(cfg["MAIL_SMTP_HOST"], cfg["MAIL_SMTP_PORT"], timeout=15) as smtp:
        if cfg.get("MAIL_SMTP_STARTTLS"):
            smtp.starttls()
        if cfg.get("MAIL_SMTP_USER"):
            smtp.login(cfg["MAIL_SMTP_USER"], cfg["MAIL_SMTP_PASSWORD"])
        smtp.send_message(msg)
