"""Outgoing mail: every message is kept in the outbox; SMTP delivers it when configured."""

from __future__ import annotations

import smtplib
from datetime import datetime
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class OutboxMessage(Base):
    """A message the portal sent or meant to send."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(sa.Text)


def send_mail(session: Session, recipient: str, subject: str, body: str) -> OutboxMessage:
    """Keep the message in the outbox and hand it to SMTP if one is configured."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    session.add(message)
    host = current_app.config.get("MAIL_SMTP_HOST")
    if host:
        try:
            _deliver_smtp(recipient, subject, body)
            message.delivered_at = utcnow()
        except (OSError, smtplib.SMTPException) as exc:
            message.error = f"{type(exc).__name__}: {exc}"
            current_app.logger.warning("mail to %s not delivered: %s", recipient, exc)
    session.flush()
    return message


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
