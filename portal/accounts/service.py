"""Account operations: registration, login with throttling, password reset, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import ApiToken, LoginFailure, Role, User
from portal.checks import normalize_credit_code
from portal.db import utcnow
from portal.organizations.models import Organization, OrgKind


class AccountError(Exception):
    """A refusal with a message key the view translates."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == normalize_email(email)))


@dataclass
class EnterpriseRegistration:
    unit_name: str
    credit_code: str
    district_id: int
    industry_id: int
    contact_name: str
    mobile: str
    email: str
    password: str


def register_enterprise(session: Session, data: EnterpriseRegistration) -> User:
    """Create the enterprise organization and its first user account (企业注册)."""
    code = normalize_credit_code(data.credit_code)
    if session.scalar(sa.select(Organization.id).where(Organization.credit_code == code)):
        raise AccountError("credit_code_taken")
    if session.scalar(
        sa.select(Organization.id).where(Organization.name == data.unit_name.strip())
    ):
        raise AccountError("unit_name_taken")
    if find_user_by_email(session, data.email):
        raise AccountError("email_taken")
    org = Organization(
        name=data.unit_name.strip(),
        kind=OrgKind.ENTERPRISE,
        credit_code=code,
        district_id=data.district_id,
        industry_id=data.industry_id,
        contact_name=data.contact_name.strip(),
        contact_mobile=data.mobile.strip(),
        contact_email=normalize_email(data.email),
    )
    user = User(
        email=normalize_email(data.email),
        name=data.contact_name.strip(),
        role=Role.ENTERPRISE,
        organization=org,
        mobile=data.mobile.strip(),
    )
    user.set_password(data.password)
    session.add_all([org, user])
    session.flush()
    audit.record(
        session, actor=user, action="organization.register", obj=org, after=audit.snapshot(org)
    )
    audit.record(session, actor=user, action="user.register", obj=user, after=audit.snapshot(user))
    return user


def _failures_since(session: Session, column, value: str, since) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(LoginFailure)
            .where(column == value, LoginFailure.at >= since)
        )
        or 0
    )


def authenticate(session: Session, email: str, password: str, remote_addr: str) -> User:
    """The user for these credentials, or AccountError('throttled' | 'bad_credentials')."""
    cfg = current_app.config
    email = normalize_email(email)
    window = timedelta(seconds=cfg["LOGIN_FAILURE_WINDOW_SECONDS"])
    since = utcnow() - window
    if (
        _failures_since(session, LoginFailure.email, email, since)
        >= cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or _failures_since(session, LoginFailure.remote_addr, remote_addr, since)
        >= cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    ):
        raise AccountError("throttled", minutes=int(window.total_seconds() // 60))
    user = find_user_by_email(session, email)
    if user is None or not user.active or not user.check_password(password):
        session.add(LoginFailure(email=email, remote_addr=remote_addr))
        session.commit()
        raise AccountError("bad_credentials")
    session.execute(sa.delete(LoginFailure).where(LoginFailure.email == email))
    user.last_login_at = utcnow()
    return user


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(user: User) -> str:
    # Ties a token to the current password, so it works once and dies when the password changes.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return _reset_serializer().dumps({"uid": user.id, "pw": _password_fingerprint(user)})


def user_for_reset_token(session: Session, token: str) -> User:
    try:
        data = _reset_serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"]
        )
    except SignatureExpired as exc:
        raise AccountError("reset_expired") from exc
    except BadSignature as exc:
        raise AccountError("reset_invalid") from exc
    user = session.get(User, data.get("uid"))
    if user is None or not user.active or data.get("pw") != _password_fingerprint(user):
        raise AccountError("reset_invalid")
    return user


def reset_password(session: Session, token: str, new_password: str) -> User:
    user = user_for_reset_token(session, token)
    user.set_password(new_password)
    session.execute(sa.delete(LoginFailure).where(LoginFailure.email == user.email))
    audit.record(session, actor=user, action="user.password_reset", obj=user)
    return user


def create_api_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token; the secret is returned once and only its hash is kept."""
    secret = "ssp_" + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name.strip() or "token",
        token_hash=hashlib.sha256(secret.encode()).hexdigest(),
        prefix=secret[:10],
    )
    session.add(token)
    audit.record(
        session,
        actor=user,
        action="api_token.create",
        obj=token,
        after={"name": token.name, "prefix": token.prefix},
    )
    return token, secret


def revoke_api_token(session: Session, user: User, token: ApiToken) -> None:
    token.revoked_at = utcnow()
    audit.record(
        session,
        actor=user,
        action="api_token.revoke",
        obj=token,
        after={"revoked_at": token.revoked_at},
    )


def user_for_api_token(session: Session, secret: str) -> User | None:
    digest = hashlib.sha256(secret.encode()).hexdigest()
    token = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    token.last_used_at = utcnow()
    return token.user
