"""Account operations: registration, login with throttling, password reset, API tokens."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.interfaces import ORMOption
from werkzeug.security import check_password_hash, generate_password_hash

from portal import audit
from portal.accounts import throttle
from portal.accounts.errors import AccountError
from portal.accounts.models import ApiToken, User
from portal.checks import normalize_credit_code
from portal.db import utcnow
from portal.organizations.models import Organization, OrgKind, UnitNature
from portal.roles import Role


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
    unit_nature: UnitNature | None = None
    address: str = ""
    postcode: str = ""


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
        unit_nature=data.unit_nature,
        address=(data.address or "").strip() or None,
        postcode=(data.postcode or "").strip() or None,
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


@functools.cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def _password_matches(user: User | None, password: str) -> bool:
    """Check the password; for no account, check a dummy hash of the same cost instead."""
    if user is None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        check_password_hash(_dummy_hash(method), password)
        return False
    return user.check_password(password)


def authenticate(session: Session, email: str, password: str, remote_addr: str) -> User:
    """The user for these credentials, or AccountError('throttled' | 'bad_credentials').

    The attempt is counted before the password is checked (see throttle.allow_attempt), and an
    unknown or deactivated account costs the same hash check as a wrong password, so neither
    the answer nor its time tells whether an account exists.
    """
    email = normalize_email(email)
    remote_addr = remote_addr[:64]  # the counter's column; real addresses are shorter
    if not throttle.allow_attempt(session, email[:254], remote_addr):
        raise AccountError("throttled", minutes=int(throttle.window().total_seconds() // 60))
    user = find_user_by_email(session, email)
    matches = _password_matches(user, password)
    if user is None or not user.active or not matches:
        raise AccountError("bad_credentials")
    throttle.forget_success(session, email, remote_addr)
    user.last_login_at = utcnow()
    return user


@functools.cache
def _with_organization() -> tuple[ORMOption, ...]:
    """The user's organization in the same statement: every page's header names it. The
    option is built once; it holds no state of a request."""
    return (joinedload(User.organization),)


def user_for_session_id(session: Session, session_id: str) -> User | None:
    """The active user a login session names, while the session is current (User.get_id)."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdecimal() and version.isdecimal()):
        return None
    user = session.get(User, int(user_id), options=_with_organization())
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def end_sessions(session: Session, user: User) -> None:
    """Log the user out everywhere: every session cookie, copies included, stops working."""
    user.end_sessions()
    session.flush()


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


def reset_password(
    session: Session, token: str, new_password: str, *, revoke_tokens: bool = True
) -> User:
    """Set a new password by mailed link: ends every session, and revokes API tokens if asked."""
    user = user_for_reset_token(session, token)
    user.set_password(new_password)
    throttle.forget_account(session, user.email)
    revoked = revoke_all_api_tokens(session, user) if revoke_tokens else 0
    audit.record(
        session,
        actor=user,
        action="user.password_reset",
        obj=user,
        after={"sessions_ended": True, "api_tokens_revoked": revoked},
    )
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


def revoke_all_api_tokens(session: Session, user: User) -> int:
    """Revoke every live API token of the user; how many were live."""
    # An UPDATE answers with a CursorResult, which counts its rows (SQLAlchemy's documented
    # cast: Session.execute is typed for every statement).
    result = cast(
        CursorResult[Any],
        session.execute(
            sa.update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        ),
    )
    return result.rowcount


def user_for_api_token(session: Session, secret: str) -> User | None:
    digest = hashlib.sha256(secret.encode()).hexdigest()
    token = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    token.last_used_at = utcnow()
    return token.user
