"""Password reset by mailed link: works once, expires, says nothing about unknown addresses."""

from __future__ import annotations

import time

import sqlalchemy as sa
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from portal.accounts import service
from portal.accounts.models import Role
from portal.mail import OutboxMessage
from tests.accounts.helpers import count, english, mailed_reset_path, text
from tests.factories import PASSWORD, make_user

SAME_ANSWER = "If the address has an account, a reset link is on its way."
INVALID = "This password reset link is not valid, or was already used."
EXPIRED = "This password reset link has expired. Please ask for a new one."
NEW_PASSWORD = "a-brand-new-password"


def _ask_for_link(client, session, email: str) -> str:
    response = client.post("/password/forgot", data={"email": email}, follow_redirects=True)
    assert SAME_ANSWER in text(response)
    message = session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message.recipient == email
    assert message.subject == "Password reset for the Service Star portal"
    return mailed_reset_path(session, email)


def _set_password(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"password": password, "confirm": password})


def test_forgot_password_puts_a_link_in_the_outbox(client, session):
    user = make_user(Role.ENTERPRISE)
    english(client)
    path = _ask_for_link(client, session, user.email)
    assert path.startswith("/password/reset/")
    assert client.get(path).status_code == 200


def test_the_link_sets_a_new_password(client, session, login):
    user = make_user(Role.ENTERPRISE)
    english(client)
    path = _ask_for_link(client, session, user.email)
    response = _set_password(client, path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    session.refresh(user)
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    login(user, NEW_PASSWORD)


def test_the_link_works_once(client, session):
    user = make_user(Role.ENTERPRISE)
    english(client)
    path = _ask_for_link(client, session, user.email)
    assert _set_password(client, path).status_code == 302
    again = client.get(path, follow_redirects=True)
    assert INVALID in text(again)
    second = _set_password(client, path, "yet-another-password")
    assert second.headers["Location"] == "/password/forgot"
    session.refresh(user)
    assert user.check_password(NEW_PASSWORD)


class _SignedTwoHoursAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 2 * 3600


def test_an_expired_link_is_refused_with_its_message(app, client, session):
    user = make_user(Role.ENTERPRISE)
    english(client)
    payload = {"uid": user.id, "pw": service._password_fingerprint(user)}
    old = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt="password-reset", signer=_SignedTwoHoursAgo
    ).dumps(payload)
    response = client.get(f"/password/reset/{old}", follow_redirects=True)
    assert EXPIRED in text(response)
    refused = _set_password(client, f"/password/reset/{old}")
    assert refused.headers["Location"] == "/password/forgot"
    session.refresh(user)
    assert user.check_password(PASSWORD)
    # The same payload signed now is accepted: it is the age that was refused.
    fresh = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="password-reset").dumps(payload)
    assert client.get(f"/password/reset/{fresh}").status_code == 200


def test_a_tampered_link_is_refused(client, session):
    user = make_user(Role.ENTERPRISE)
    english(client)
    path = _ask_for_link(client, session, user.email)
    # Change a character well inside the signature: the last one may carry only padding bits.
    changed = "A" if path[-10] != "A" else "B"
    response = client.get(path[:-10] + changed + path[-9:], follow_redirects=True)
    assert INVALID in text(response)


def test_unknown_email_gets_the_same_answer_and_no_mail(client, session):
    english(client)
    response = client.post(
        "/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True
    )
    assert SAME_ANSWER in text(response)
    assert count(OutboxMessage) == 0


def test_deactivated_account_gets_no_mail(client, session):
    user = make_user(Role.ENTERPRISE, active=False)
    english(client)
    client.post("/password/forgot", data={"email": user.email})
    assert count(OutboxMessage) == 0
