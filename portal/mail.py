"""Outgoing mail: written to the outbox in the transaction that causes it, delivered after commit.

`send_mail` only adds an outbox row, so a message exists exactly when its transaction commits
and no SMTP conversation ever runs inside a request's transaction (or under the audit chain's
lock). Delivery happens afterwards, in transactions of its own: right after the commit in the
committing process (MAIL_DELIVERY = "after_commit", the embedded default), or by the
`flask outbox deliver` worker (MAIL_DELIVERY = "worker"); the worker also retries what failed,
with exponential backoff, until MAIL_MAX_ATTEMPTS, and then marks the message failed.

A secret a message carries (a password-reset or set-password link) is for its recipient alone:
the outbox keeps the body with the secret withheld, which is all any page shows, and the full
body in a separate column that only delivery reads and that is wiped once the mail is out (or
once delivery has given up).
"""

from __future__ import annotations

import enum
import smtplib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_request_context
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column, sessionmaker, undefer

from portal.db import Base, UTCDateTime, enum_column, utcnow, will_write

DELIVERY_MODES = ("after_commit", "worker")
# Session.info key: ids of the messages added in the session's current transaction.
_ADDED = "outbox_added"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its first attempt or for a retry
    SENT = "sent"  # accepted by the SMTP server
    FAILED = "failed"  # delivery gave up after MAIL_MAX_ATTEMPTS


class OutboxMessage(Base):
    """A message the portal sent or meant to send."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        sa.CheckConstraint("status != 'sent' OR delivered_at IS NOT NULL", name="sent_has_time"),
        # A secret is kept only while it may still be delivered.
        sa.CheckConstraint("status = 'pending' OR sealed_body IS NULL", name="sealed_pending"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    # What the office may read: a secret in the message is replaced by a notice.
    body: Mapped[str] = mapped_column(sa.Text)
    # The body as the recipient gets it, secret included; only for messages carrying a secret,
    # read by delivery alone and cleared once delivered. Deferred so no listing loads it.
    sealed_body: Mapped[str | None] = mapped_column(sa.Text, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    # When a worker may take it next: creation, then each retry's backoff, or the end of the
    # lease a delivering worker holds (so a worker that died mid-delivery is retried).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(sa.Text)


def send_mail(
    session: Session, recipient: str, subject: str, body: str, *, secret: str | None = None
) -> OutboxMessage:
    """Add the message to the outbox in the caller's transaction; it is delivered after commit.

    Nothing is sent here: a transaction that rolls back takes its messages with it. `secret`
    is a part of body (a link or code) meant for the recipient alone: the outbox shows a notice
    in its place and keeps the full body sealed until delivery. In development without SMTP, a
    message carrying a secret is written to the server console, so the demo's users can still
    follow their links; elsewhere it waits in the outbox.
    """
    shown = body.replace(secret, _("[withheld: sent to the recipient only]")) if secret else body
    now = utcnow()
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        body=shown,
        sealed_body=body if secret else None,
        created_at=now,
        next_attempt_at=now,
        status=OutboxStatus.PENDING,
        attempts=0,
    )
    session.add(message)
    cfg = current_app.config
    if secret and not cfg.get("MAIL_SMTP_HOST") and cfg.get("ENV") == "development":
        current_app.logger.warning(
            "development, no SMTP: mail to %s\n%s\n%s", recipient, subject, body
        )
    session.flush()
    session.info.setdefault(_ADDED, []).append(message.id)
    return message


# --- delivery -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A message a deliverer has taken: what it sends, read in the claiming transaction."""

    id: int
    recipient: str
    subject: str
    text: str
    attempts: int


@dataclass
class DeliveryCounts:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def taken(self) -> int:
        return self.sent + self.retrying + self.failed


def retry_delay(attempts: int, config: Mapping[str, Any]) -> timedelta:
    """Backoff after the attempts-th failure: MAIL_RETRY_SECONDS doubled each time, capped."""
    base = float(config["MAIL_RETRY_SECONDS"])
    seconds = min(base * 2 ** max(attempts - 1, 0), float(config["MAIL_RETRY_MAX_SECONDS"]))
    return timedelta(seconds=seconds)


def claim_next(maker: sessionmaker[Session], ids: list[int] | None = None) -> Claim | None:
    """Take the next due pending message (of `ids` if given) in a short transaction.

    The row is locked with FOR UPDATE SKIP LOCKED on PostgreSQL, so concurrent workers each
    take a different message; SQLite takes the database's write lock for the claim instead
    (BEGIN IMMEDIATE), which serialises claims. The claim counts the attempt and moves
    next_attempt_at past a lease (MAIL_CLAIM_SECONDS), so nobody else takes the message while
    it is being sent and no lock is held during the SMTP conversation.
    """
    if has_request_context():
        will_write()  # SQLite: claim under the write lock from the start
    cfg = current_app.config
    with maker() as session, session.begin():
        now = utcnow()
        query = (
            sa.select(OutboxMessage)
            .options(undefer(OutboxMessage.sealed_body))
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if ids is not None:
            query = query.where(OutboxMessage.id.in_(ids))
        message = session.scalars(query).first()
        if message is None:
            return None
        message.attempts += 1
        message.next_attempt_at = now + timedelta(seconds=float(cfg["MAIL_CLAIM_SECONDS"]))
        return Claim(
            message.id,
            message.recipient,
            message.subject,
            message.sealed_body or message.body,
            message.attempts,
        )


def deliver_claim(maker: sessionmaker[Session], claim: Claim) -> OutboxStatus:
    """Send a claimed message by SMTP, outside any transaction, then record the outcome."""
    try:
        _deliver_smtp(claim.recipient, claim.subject, claim.text)
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        error: str | None = f"{type(exc).__name__}: {exc}"[:2000]
        current_app.logger.warning("mail %s not delivered: %s", claim.id, error)
    else:
        error = None
    cfg = current_app.config
    now = utcnow()
    if error is None:
        status = OutboxStatus.SENT
        values: dict[str, object] = {"delivered_at": now, "last_error": None, "sealed_body": None}
    elif claim.attempts >= int(cfg["MAIL_MAX_ATTEMPTS"]):
        status = OutboxStatus.FAILED  # given up: the secret is no longer kept
        values = {"last_error": error, "sealed_body": None}
    else:
        status = OutboxStatus.PENDING
        values = {"last_error": error, "next_attempt_at": now + retry_delay(claim.attempts, cfg)}
    with maker() as session, session.begin():
        session.execute(
            sa.update(OutboxMessage)
            # Unless a later claim took the message over (this one outlived its lease).
            .where(OutboxMessage.id == claim.id, OutboxMessage.attempts == claim.attempts)
            .values(status=status, **values)
            .execution_options(synchronize_session=False)
        )
    return status


def deliver_due(
    maker: sessionmaker[Session] | None = None,
    ids: list[int] | None = None,
    stop: threading.Event | None = None,
) -> DeliveryCounts:
    """Deliver every due pending message (only those of `ids` if given), one at a time.

    Stops early, between two messages, once `stop` is set.
    """
    maker = maker or current_app.extensions["portal.db"]["sessionmaker"]
    counts = DeliveryCounts()
    while not (stop and stop.is_set()) and (claim := claim_next(maker, ids)) is not None:
        status = deliver_claim(maker, claim)
        if status is OutboxStatus.SENT:
            counts.sent += 1
        elif status is OutboxStatus.FAILED:
            counts.failed += 1
        else:
            counts.retrying += 1
    return counts


def _deliver_smtp(recipient: str, subject: str, body: str) -> None:
    cfg = current_app.config
    if not cfg.get("MAIL_SMTP_HOST"):
        raise smtplib.SMTPException("no SMTP server configured (MAIL_SMTP_HOST)")
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_SENDER"]
    msg["To"] = recipient
    msg["Subject"] = subject
    msg.set_content(body)
    timeout = float(cfg["MAIL_SMTP_TIMEOUT"])
    with smtplib.SMTP(cfg["MAIL_SMTP_HOST"], cfg["MAIL_SMTP_PORT"], timeout=timeout) as smtp:
        if cfg.get("MAIL_SMTP_STARTTLS"):
            smtp.starttls()
        if cfg.get("MAIL_SMTP_USER"):
            smtp.login(cfg["MAIL_SMTP_USER"], cfg["MAIL_SMTP_PASSWORD"])
        smtp.send_message(msg)


# --- delivery right after commit ------------------------------------------------------------


def init_app(app: Flask) -> None:
    """Check MAIL_DELIVERY and hook after-commit delivery to the app's sessions."""
    mode = app.config["MAIL_DELIVERY"]
    if mode not in DELIVERY_MODES:
        raise RuntimeError(
            f"MAIL_DELIVERY must be one of {', '.join(DELIVERY_MODES)}, not {mode!r}"
        )
    maker = app.extensions["portal.db"]["sessionmaker"]
    event.listen(maker, "after_commit", _deliver_after_commit)
    event.listen(maker, "after_transaction_end", _forget_uncommitted)


def _deliver_after_commit(session: Session) -> None:
    """Deliver the messages the session's transaction added, now that it has committed.

    A savepoint's commit (begin_nested) is not the end of the transaction: its messages wait
    for the outer commit. In "worker" mode, or without SMTP, the messages wait for the worker.
    Delivery runs in sessions of its own; a failure is recorded on the message, never raised
    into the code that committed.
    """
    if session.in_nested_transaction() or not session.info.get(_ADDED):
        return
    ids = session.info.pop(_ADDED)
    cfg = current_app.config
    if cfg["MAIL_DELIVERY"] != "after_commit" or not cfg.get("MAIL_SMTP_HOST"):
        return
    try:
        deliver_due(current_app.extensions["portal.db"]["sessionmaker"], ids=ids)
    except Exception:  # the change is saved whatever happens here; `outbox deliver` retries
        current_app.logger.exception("mail delivery after commit failed")


def _forget_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ended without commit (rollback, close) took its messages with it."""
    if transaction.parent is None:
        session.info.pop(_ADDED, None)
