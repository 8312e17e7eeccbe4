"""Login sessions end at logout and with a new password, copies of the cookie included."""

from __future__ import annotations

import re

import sqlalchemy as sa

from portal.accounts.models import ApiToken, Role
from portal.audit import AuditEntry
from tests.accounts.helpers import english, mailed_reset_path, text
from tests.api.helpers import bearer, token_for
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "a-brand-new-password"


def _copy_session(app, client):
    """A second browser holding a copy of client's session cookie, as a thief would."""
    thief = app.test_client()
    cookie = client.get_cookie("session", domain="portal.test")
    thief.set_cookie("session", cookie.value, domain="portal.test")
    return thief


def _reset_by_mail(client, session, user, **extra):
    client.post("/password/forgot", data={"email": user.email})
    path = mailed_reset_path(session, user.email)
    form = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, **extra}
    response = client.post(path, data=form)
    assert response.headers["Location"] == "/login"


def test_a_copied_session_cookie_works_until_logout_and_not_after(app, client, session, login):
    user = make_user(Role.OFFICE)
    login(user)
    thief = _copy_session(app, client)
    assert thief.get("/home").status_code == 200
    client.post("/logout")
    after = thief.get("/home")
    assert after.status_code == 302
    assert after.headers["Location"].startswith("/login")
    assert thief.get("/office/outbox").status_code == 302


def test_logout_ends_the_accounts_sessions_on_other_devices(app, client, session, login):
    user = make_user(Role.ENTERPRISE)
    login(user)
    laptop = app.test_client()
    assert (
        laptop.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    )
    client.post("/logout")
    assert laptop.get("/home").status_code == 302


def test_a_password_reset_ends_every_session_of_the_account(app, client, session, login):
    user = make_user(Role.ADMIN)
    login(user)
    thief = _copy_session(app, client)
    other = app.test_client()
    _reset_by_mail(other, session, user)
    assert thief.get("/home").status_code == 302
    assert client.get("/home").status_code == 302
    login(user, NEW_PASSWORD)
    assert client.get("/home").status_code == 200


def test_other_accounts_keep_their_sessions(app, client, session, login):
    user = make_user(Role.ENTERPRISE)
    bystander = make_user(Role.ENTERPRISE)
    theirs = app.test_client()
    theirs.post("/login", data={"email": bystander.email, "password": PASSWORD})
    login(user)
    client.post("/logout")
    assert theirs.get("/home").status_code == 200


def test_the_reset_form_offers_to_revoke_api_tokens_checked_by_default(client, session):
    user = make_user(Role.ENTERPRISE)
    english(client)
    client.post("/password/forgot", data={"email": user.email})
    page = text(client.get(mailed_reset_path(session, user.email)))
    assert "Also revoke all my API tokens" in page
    box = re.search(r'<input[^>]*name="revoke_tokens"[^>]*>', page).group(0)
    assert 'type="checkbox"' in box and "checked" in box


def test_a_password_reset_revokes_api_tokens_when_asked(client, session):
    user = make_user(Role.ENTERPRISE)
    secret = token_for(user)
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    _reset_by_mail(client, session, user, revoke_tokens="y")
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    revoked = session.scalars(sa.select(ApiToken.revoked_at)).all()
    assert len(revoked) == 1 and revoked[0] is not None
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.password_reset"))
    assert entry.after == {"sessions_ended": True, "api_tokens_revoked": 1}


def test_api_tokens_survive_a_reset_when_the_box_is_cleared(client, session):
    user = make_user(Role.ENTERPRISE)
    secret = token_for(user)
    _reset_by_mail(client, session, user)  # an unchecked box is not sent
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
