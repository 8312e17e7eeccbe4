"""User management by the office and administrators: roles fit organizations, audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role, User
from portal.accounts.service_users import NewUser, UserInvalid, create_user
from portal.audit import AuditEntry
from portal.mail import OutboxMessage
from portal.organizations.models import OrgKind
from portal.organizations.rules import role_fits_kind
from tests.accounts.helpers import count, english, mailed_reset_path, text
from tests.factories import make_org, make_user
from tests.querycount import page_statements


@pytest.fixture
def office(client, login):
    user = make_user(Role.OFFICE)
    login(user)
    english(client)
    return user


def _user(session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == email))


def _audit(session, action: str) -> list[AuditEntry]:
    return session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    ).all()


def _new(client, **data):
    form = {"name": "王审核", "email": "Wang@Example.com", "mobile": "", "password_mode": "link"}
    form.update(data)
    return client.post("/office/users/new", data=form)


def _edit(client, target: User, **data):
    form = {
        "name": target.name,
        "mobile": target.mobile or "",
        "role": target.role.value,
        "organization_id": target.organization_id,
        "active": "y" if target.active else "",
    }
    form.update(data)
    return client.post(f"/office/users/{target.id}/edit", data=form)


# Which organization kinds each role may belong to, as the programme has it.
FITS = {
    Role.ENTERPRISE: {OrgKind.ENTERPRISE},
    Role.CHANNEL_REVIEWER: {OrgKind.CHANNEL},
    Role.OFFICE: {OrgKind.OFFICE},
    Role.ORGANIZER: {OrgKind.ORGANIZER},
    Role.EXPERT: set(OrgKind),
    Role.ADMIN: {OrgKind.OFFICE},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("kind", list(OrgKind))
def test_role_must_fit_the_organization_kind(role, kind):
    assert role_fits_kind(role, kind) is (kind in FITS[role])


def test_office_creates_a_user_with_an_initial_password(client, session, office, login):
    org = make_org(OrgKind.CHANNEL)
    response = _new(
        client,
        role="channel_reviewer",
        organization_id=org.id,
        mobile="13912345678",
        password_mode="initial",
        password="initial-pass-1",
    )
    assert response.status_code == 302
    user = _user(session, "wang@example.com")
    assert (user.name, user.role, user.organization_id, user.mobile, user.active) == (
        "王审核",
        Role.CHANNEL_REVIEWER,
        org.id,
        "13912345678",
        True,
    )
    assert user.check_password("initial-pass-1")
    assert count(OutboxMessage) == 0
    (entry,) = _audit(session, "user.create")
    assert entry.actor_id == office.id
    assert entry.after["role"] == "channel_reviewer"
    assert entry.after["password_setup"] == "initial_password"
    assert "password_hash" not in entry.after


def test_initial_password_mode_needs_a_password(client, session, office):
    org = make_org(OrgKind.ENTERPRISE)
    page = text(_new(client, role="enterprise", organization_id=org.id, password_mode="initial"))
    assert "Enter the initial password, or choose to send a link." in page
    assert _user(session, "wang@example.com") is None


def test_setup_link_is_mailed_and_sets_the_password(client, session, office):
    org = make_org(OrgKind.ENTERPRISE)
    assert _new(client, role="enterprise", organization_id=org.id).status_code == 302
    user = _user(session, "wang@example.com")
    (message,) = session.scalars(sa.select(OutboxMessage)).all()
    assert (message.recipient, message.subject) == (
        "wang@example.com",
        "Your account on the Service Star portal",
    )
    assert "within 60 minutes" in message.body
    path = mailed_reset_path(session, "wang@example.com")
    client.post("/logout")
    response = client.post(path, data={"password": "chosen-pass-1", "confirm": "chosen-pass-1"})
    assert response.headers["Location"] == "/login"
    session.refresh(user)
    assert user.check_password("chosen-pass-1")
    assert client.post(path, data={"password": "x" * 12, "confirm": "x" * 12}).headers[
        "Location"
    ] == ("/password/forgot")


def test_role_that_does_not_fit_the_organization_is_refused(client, session, office):
    channel = make_org(OrgKind.CHANNEL)
    page = text(_new(client, role="enterprise", organization_id=channel.id))
    assert "An enterprise user belongs to an enterprise." in page
    assert _user(session, "wang@example.com") is None


def test_duplicate_email_is_refused(client, session, office):
    make_user(Role.EXPERT, email="wang@example.com")
    org = make_org(OrgKind.ENTERPRISE)
    page = text(_new(client, role="enterprise", organization_id=org.id))
    assert "This email address already has an account." in page


def test_office_cannot_create_an_admin(client, session, office):
    office_org = office.organization
    page = text(_new(client, role="admin", organization_id=office_org.id))
    assert "Not a valid choice" in page
    assert _user(session, "wang@example.com") is None
    with pytest.raises(UserInvalid) as refused:
        create_user(
            session,
            office,
            NewUser(
                name="x", email="x@example.com", role=Role.ADMIN, organization_id=office_org.id
            ),
        )
    assert refused.value.problems == {"role": "role_not_grantable"}


def test_admin_creates_an_admin_in_the_office(client, session, login):
    admin = make_user(Role.ADMIN)
    login(admin)
    response = _new(
        client,
        role="admin",
        organization_id=admin.organization_id,
        password_mode="initial",
        password="admin-pass-12",
    )
    assert response.status_code == 302
    assert _user(session, "wang@example.com").role is Role.ADMIN


def test_office_cannot_edit_an_admin(client, office):
    admin = make_user(Role.ADMIN)
    assert client.get(f"/office/users/{admin.id}/edit").status_code == 403
    assert _edit(client, admin, active="").status_code == 403


def test_office_edits_role_and_organization_with_audit(client, session, office):
    user = make_user(Role.ENTERPRISE)
    university = make_org(OrgKind.OTHER, name="某大学")
    response = _edit(client, user, role="expert", organization_id=university.id)
    assert response.status_code == 302
    session.refresh(user)
    assert (user.role, user.organization_id) == (Role.EXPERT, university.id)
    (entry,) = _audit(session, "user.update")
    assert (entry.before["role"], entry.after["role"]) == ("enterprise", "expert")
    assert entry.after["organization_id"] == university.id


def test_office_deactivates_a_user_who_then_cannot_log_in(client, session, office):
    user = make_user(Role.ENTERPRISE)
    _edit(client, user, active="")
    session.refresh(user)
    assert user.active is False
    (entry,) = _audit(session, "user.update")
    assert (entry.before["active"], entry.after["active"]) == (True, False)
    client.post("/logout")
    english(client)
    failed = client.post("/login", data={"email": user.email, "password": "password-123456"})
    assert "Wrong email or password." in text(failed)


def test_office_staff_cannot_deactivate_themselves(client, session, office):
    page = text(_edit(client, office, active=""))
    assert "You cannot deactivate your own account." in page
    session.refresh(office)
    assert office.active is True
    assert _audit(session, "user.update") == []


def test_nobody_changes_their_own_role(client, session, office):
    page = text(_edit(client, office, role="expert"))
    assert "You cannot change your own role." in page


def test_moving_a_user_to_an_organization_of_the_wrong_kind_is_refused(client, session, office):
    user = make_user(Role.ORGANIZER)
    enterprise = make_org(OrgKind.ENTERPRISE)
    page = text(_edit(client, user, organization_id=enterprise.id))
    assert "An organizer approver belongs to one of the organizers." in page
    session.refresh(user)
    assert user.organization.kind is OrgKind.ORGANIZER


def test_a_deactivated_organization_cannot_receive_users(client, session, office):
    closed = make_org(OrgKind.ENTERPRISE, active=False)
    page = text(_new(client, role="enterprise", organization_id=closed.id))
    assert "Not a valid choice" in page  # not even offered
    with pytest.raises(UserInvalid) as refused:
        create_user(
            session,
            office,
            NewUser(
                name="x", email="x@example.com", role=Role.ENTERPRISE, organization_id=closed.id
            ),
        )
    assert refused.value.problems == {"organization_id": "organization_inactive"}


def test_resend_setup_link_mails_and_audits(client, session, office):
    user = make_user(Role.EXPERT)
    response = client.post(f"/office/users/{user.id}/setup-link")
    assert response.status_code == 302
    (message,) = session.scalars(sa.select(OutboxMessage)).all()
    assert message.recipient == user.email
    (entry,) = _audit(session, "user.setup_link")
    assert entry.after == {"recipient": user.email, "outbox_message_id": message.id}


def _listed(response) -> list[str]:
    page = text(response)
    table = page[page.index('data-testid="users"') :]
    return sorted(e for e in EMAILS if e in table)


EMAILS = ["a-ent@example.com", "b-exp@example.com", "c-off@example.com", "d-gone@example.com"]


def test_list_filters_by_role_kind_status_and_text(client, session, login):
    admin = make_user(Role.ADMIN, email="admin-z@example.com")
    make_user(Role.ENTERPRISE, email="a-ent@example.com", name="张企业")
    make_user(Role.EXPERT, email="b-exp@example.com", organization=make_org(OrgKind.ENTERPRISE))
    make_user(Role.OFFICE, email="c-off@example.com")
    make_user(Role.ENTERPRISE, email="d-gone@example.com", active=False)
    login(admin)
    get = client.get
    assert _listed(get("/office/users/")) == EMAILS[:3]
    assert _listed(get("/office/users/?role=enterprise")) == ["a-ent@example.com"]
    assert _listed(get("/office/users/?org_kind=enterprise")) == EMAILS[:2]
    assert _listed(get("/office/users/?status=inactive")) == ["d-gone@example.com"]
    assert _listed(get("/office/users/?status=all&role=enterprise")) == [
        "a-ent@example.com",
        "d-gone@example.com",
    ]
    assert _listed(get("/office/users/?q=张企")) == ["a-ent@example.com"]
    assert _listed(get("/office/users/?q=B-EXP")) == ["b-exp@example.com"]


def test_unknown_filter_values_are_ignored(client, session, login):
    login(make_user(Role.ADMIN, email="admin-z@example.com"))
    make_user(Role.ENTERPRISE, email="a-ent@example.com")
    make_user(Role.ENTERPRISE, email="d-gone@example.com", active=False)
    for query in ("org_kind=bogus", "role=nobody", "status=maybe", "org_kind=&role=%00"):
        response = client.get(f"/office/users/?{query}")
        assert response.status_code == 200, query
        assert _listed(response) == ["a-ent@example.com"], query


def test_list_query_count_does_not_grow_with_rows(app, client, session, office):
    few = page_statements(app, client, "/office/users/")
    for _ in range(30):
        make_user(Role.ENTERPRISE)
    assert page_statements(app, client, "/office/users/") == few
