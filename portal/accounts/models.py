"""User accounts, API tokens and login failures."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.organizations.models import Organization
from portal.roles import Role


class User(UserMixin, Base):
    """A person with a login; belongs to exactly one organization."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    mobile: Mapped[str | None] = mapped_column(sa.String(11))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Part of every login session's id: raising it ends all sessions of this account at once.
    session_version: Mapped[int] = mapped_column(default=1)

    organization: Mapped[Organization] = relationship()

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Make every login session of this account stale (logout, password change)."""
        self.session_version = (self.session_version or 0) + 1

    def get_id(self) -> str:  # flask-login: what the session cookie names
        return f"{self.id}:{self.session_version}"

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # flask-login
        return self.active

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


# The office's users list (accounts.views_users) reads a page along the list's order, with
# whether each user is active to filter on, without reading the users it passes over (the id
# too: PostgreSQL's indexes do not hold the row's key, SQLite's do).
sa.Index("ix_user_account_list", User.role, User.email, User.active, User.id)


class ApiToken(Base):
    """A bearer token for /api/v1; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(64))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """Login attempts on one account from one address within a window, on every app server alike.

    The row with an empty email counts the address's attempts on any account. Attempts are
    counted before the password is checked and a success takes its own back, so the counts are
    failed (or still running) attempts.
    """

    __tablename__ = "login_failure"

    ADDRESS_TOTAL = ""

    email: Mapped[str] = mapped_column(sa.String(254), primary_key=True)
    remote_addr: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
