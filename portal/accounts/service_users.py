"""User management by the office: create accounts, change role, organization and status."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts import rules
from portal.accounts.models import User
from portal.accounts.service import find_user_by_email, make_reset_token, normalize_email
from portal.checks import is_mobile
from portal.errors import Invalid
from portal.mail import OutboxMessage, send_mail
from portal.organizations.models import Organization
from portal.organizations.rules import role_fits_kind
from portal.roles import Role


class UserInvalid(Invalid):
    """The request breaks one or more rules; problems maps a field name to a problem key."""

    problems: dict[str, str]

    def __init__(self, problems: dict[str, str]):
        super().__init__(problems)


@dataclass
class NewUser:
    name: str
    email: str
    role: Role
    organization_id: int
    mobile: str | None = None
    # None: send a password-setup link by mail instead.
    password: str | None = None


@dataclass
class UserChange:
    name: str
    role: Role
    organization_id: int
    active: bool
    mobile: str | None = None


def _role_problems(session: Session, actor, target: User | None, role: Role, org_id: int):
    problems: dict[str, str] = {}
    if not rules.can_grant_role(actor, role):
        problems["role"] = "role_not_grantable"
    org = session.get(Organization, org_id) if org_id else None
    if org is None:
        problems["organization_id"] = "organization_missing"
    elif not org.active and (target is None or target.organization_id != org.id):
        problems["organization_id"] = "organization_inactive"
    elif not role_fits_kind(role, org.kind):
        problems["organization_id"] = f"role_needs_{role.value}_org"
    return problems


def create_user(session: Session, actor, data: NewUser) -> tuple[User, OutboxMessage | None]:
    """Create an account with an initial password, or mail a password-setup link.

    Side effects: one 'user.create' audit entry; with no password, an outbox message
    (delivered by SMTP when configured) holding a link that sets the password once.
    """
    email = normalize_email(data.email)
    mobile = (data.mobile or "").strip() or None
    problems = _role_problems(session, actor, None, data.role, data.organization_id)
    if not data.name.strip():
        problems["name"] = "name_required"
    if find_user_by_email(session, email):
        problems["email"] = "email_taken"
    if mobile and not is_mobile(mobile):
        problems["mobile"] = "mobile"
    if problems:
        raise UserInvalid(problems)
    user = User(
        name=data.name.strip(),
        email=email,
        role=data.role,
        organization=session.get(Organization, data.organization_id),
        mobile=mobile,
    )
    # Without a chosen password the account gets one nobody knows until the link is used.
    user.set_password(data.password or secrets.token_urlsafe(32))
    session.add(user)
    session.flush()
    after = audit.snapshot(user)
    after["password_setup"] = "link" if data.password is None else "initial_password"
    audit.record(session, actor=actor, action="user.create", obj=user, after=after)
    message = send_setup_link(session, user) if data.password is None else None
    return user, message


def send_setup_link(session: Session, user: User) -> OutboxMessage:
    """Mail the user a link to choose a password (the password-reset token)."""
    link = url_for("accounts.reset_password", token=make_reset_token(user), _external=True)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"] // 60
    return send_mail(
        session,
        user.email,
        _("Your account on the Service Star portal"),
        _(
            "An account was opened for you on the User Satisfaction Service Star portal.\n"
            "Open this link within %(minutes)s minutes to choose your password:\n%(link)s\n\n"
            "If the link has expired, use 'Forgot your password?' on the login page.",
            minutes=minutes,
            link=link,
        ),
        secret=link,
    )


def resend_setup_link(session: Session, actor, user: User) -> OutboxMessage:
    """Mail a fresh password-setup link at the office's request; audited, password untouched."""
    message = send_setup_link(session, user)
    audit.record(
        session,
        actor=actor,
        action="user.setup_link",
        obj=user,
        after={"recipient": user.email, "outbox_message_id": message.id},
    )
    return message


def update_user(session: Session, actor, target: User, change: UserChange) -> User:
    """Change a user's name, mobile, role, organization or active status; audited."""
    if not rules.can_edit_user(actor, target):
        raise UserInvalid({"role": "role_not_grantable"})
    problems = {}
    if change.role is not target.role or change.organization_id != target.organization_id:
        problems = _role_problems(session, actor, target, change.role, change.organization_id)
    mobile = (change.mobile or "").strip() or None
    if not change.name.strip():
        problems["name"] = "name_required"
    if mobile and not is_mobile(mobile):
        problems["mobile"] = "mobile"
    if target.id == actor.id:
        if not change.active:
            problems["active"] = "cannot_deactivate_self"
        if change.role is not target.role:
            problems["role"] = "cannot_change_own_role"
    if problems:
        raise UserInvalid(problems)
    before = audit.snapshot(target)
    target.name = change.name.strip()
    target.mobile = mobile
    target.role = change.role
    # The organization exists: _role_problems checked a changed one, the key kept an unchanged one.
    target.organization = session.get_one(Organization, change.organization_id)
    target.active = change.active
    session.flush()
    after = audit.snapshot(target)
    if after != before:
        audit.record(
            session, actor=actor, action="user.update", obj=target, before=before, after=after
        )
    return target
