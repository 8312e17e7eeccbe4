"""Login throttling: atomic attempt counters per account and address, and per address."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.accounts.models import LoginFailure
from portal.db import utcnow


def window() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])


def _count(session: Session, email: str, remote_addr: str) -> int:
    """Add one attempt to a counter and return its count in the window, in one statement.

    INSERT … ON CONFLICT DO UPDATE … RETURNING is atomic on PostgreSQL and SQLite (3.35 and
    later): parallel attempts queue on the row and each gets a distinct count. A window that
    has run out starts over at this attempt.
    """
    now = utcnow()
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    expired = LoginFailure.window_start <= now - window()
    stmt = (
        insert(LoginFailure)
        .values(email=email, remote_addr=remote_addr, window_start=now, attempts=1)
        .on_conflict_do_update(
            index_elements=[LoginFailure.email, LoginFailure.remote_addr],
            set_={
                "attempts": sa.case((expired, 1), else_=LoginFailure.attempts + 1),
                "window_start": sa.case((expired, now), else_=LoginFailure.window_start),
            },
        )
        .returning(LoginFailure.attempts)
    )
    return session.execute(stmt).scalar_one()


def allow_attempt(session: Session, email: str, remote_addr: str) -> bool:
    """Count a login attempt before its password is checked; False once over a limit.

    Counted per account *and* address, so guessing from one address never locks the account
    for its owner elsewhere, and per address over all accounts, so one address cannot try a
    little on every account. Committed at once, so parallel attempts see each other.
    """
    cfg = current_app.config
    on_account = _count(session, email, remote_addr)
    from_address = _count(session, LoginFailure.ADDRESS_TOTAL, remote_addr)
    session.commit()
    return (
        on_account <= cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        and from_address <= cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    )


def forget_success(session: Session, email: str, remote_addr: str) -> None:
    """A success clears the account's failures from this address and returns its attempt."""
    session.execute(
        sa.delete(LoginFailure).where(
            LoginFailure.email == email, LoginFailure.remote_addr == remote_addr
        )
    )
    session.execute(
        sa.update(LoginFailure)
        .where(
            LoginFailure.email == LoginFailure.ADDRESS_TOTAL,
            LoginFailure.remote_addr == remote_addr,
            LoginFailure.attempts > 0,
        )
        .values(attempts=LoginFailure.attempts - 1)
    )


def forget_account(session: Session, email: str) -> None:
    """A new password by mailed link lifts the account's locks everywhere."""
    session.execute(sa.delete(LoginFailure).where(LoginFailure.email == email))
