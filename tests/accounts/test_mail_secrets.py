"""Secrets in mail (reset and set-password links) reach their recipient only, never a page."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from portal.accounts.models import Role
from portal.audit import AuditEntry
from portal.mail import OutboxMessage
from portal.organizations.models import OrgKind
from tests.accounts.helpers import english, mailed_reset_path, text
from tests.factories import make_org, make_user

WITHHELD = "[withheld: sent to the recipient only]"


def _pages_the_office_reads(client) -> str:
    return text(client.get("/office/outbox")) + text(client.get("/office/audit"))


def test_office_cannot_read_the_admins_reset_link_from_the_outbox(client, session, login):
    admin = make_user(Role.ADMIN)
    english(client)
    client.post("/password/forgot", data={"email": admin.email})
    path = mailed_reset_path(session, admin.email)
    login(make_user(Role.OFFICE))
    page = text(client.get("/office/outbox"))
    # The office sees that the mail went out, and nothing it could use.
    assert "/password/reset/" not in page
    assert admin.email in page
    assert "Password reset for the Service Star portal" in page
    assert WITHHELD in page
    assert path.rsplit("/", 1)[1] not in _pages_the_office_reads(client)


def test_setup_link_of_an_account_the_office_opens_is_not_shown_to_the_office(
    client, session, login
):
    login(make_user(Role.OFFICE))
    english(client)
    org = make_org(OrgKind.ENTERPRISE)
    form = {"name": "王审核", "email": "wang@example.com", "mobile": "", "password_mode": "link"}
    response = client.post(
        "/office/users/new", data=form | {"role": "enterprise", "organization_id": org.id}
    )
    assert response.status_code == 302
    token = mailed_reset_path(session, "wang@example.com").rsplit("/", 1)[1]
    created = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.create"))
    target = created.object_id
    client.post(f"/office/users/{target}/setup-link")
    second = mailed_reset_path(session, "wang@example.com").rsplit("/", 1)[1]
    pages = _pages_the_office_reads(client) + text(client.get(f"/office/users/{target}/edit"))
    assert token not in pages and second not in pages
    assert "/password/reset/" not in pages
    assert text(client.get("/office/outbox")).count(WITHHELD) == 2


def test_the_outbox_row_keeps_no_readable_secret(client, session):
    user = make_user(Role.OFFICE)
    english(client)
    client.post("/password/forgot", data={"email": user.email})
    message = session.scalar(sa.select(OutboxMessage))
    assert "/password/reset/" not in message.body
    assert WITHHELD in message.body
    # Deliverable until delivered: a mail worker finds the sealed body.
    assert mailed_reset_path(session, user.email) in message.sealed_body


def test_in_development_without_smtp_the_link_goes_to_the_server_console(
    app, client, session, caplog
):
    user = make_user(Role.ENTERPRISE)
    app.config["ENV"] = "development"
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        client.post("/password/forgot", data={"email": user.email})
    path = mailed_reset_path(session, user.email)
    assert any(path in r.getMessage() for r in caplog.records)


def test_outside_development_the_console_never_sees_the_link(client, session, caplog):
    user = make_user(Role.ENTERPRISE)
    with caplog.at_level(logging.DEBUG):
        client.post("/password/forgot", data={"email": user.email})
    assert "/password/reset/" not in caplog.text
