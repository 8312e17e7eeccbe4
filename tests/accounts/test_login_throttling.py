"""Login throttling: failures are counted in the database over a window."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal import create_app
from portal.accounts.models import LoginFailure, Role
from portal.db import utcnow
from tests.accounts.helpers import english, text
from tests.conftest import IsolatedRequestClient
from tests.factories import PASSWORD, make_user

THROTTLED = "Too many failed attempts. Please wait 15 minutes or reset your password."
WRONG = "Wrong email or password."


def _attempt(client, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password})


def _failures(session, email: str) -> int:
    return session.scalar(
        sa.select(sa.func.count()).select_from(LoginFailure).where(LoginFailure.email == email)
    )


@pytest.fixture
def second_app(app, app_config):
    """Another app server sharing the same database (and this test's transaction)."""
    other = create_app(app_config)
    other.test_client_class = IsolatedRequestClient
    connection = app.extensions["portal.db"]["engine"]
    other.extensions["portal.db"]["engine"].dispose()
    other.extensions["portal.db"]["engine"] = connection
    other.extensions["portal.db"]["sessionmaker"].configure(
        bind=connection, join_transaction_mode="create_savepoint"
    )
    return other


def test_five_failures_lock_the_account_even_with_the_right_password(client, session):
    user = make_user(Role.ENTERPRISE)
    english(client)
    for _ in range(5):
        assert WRONG in text(_attempt(client, user.email, "wrong-password"))
    response = _attempt(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert THROTTLED in text(response)
    assert client.get("/home").status_code == 302


def test_four_failures_do_not_lock(client, session):
    user = make_user(Role.ENTERPRISE)
    for _ in range(4):
        _attempt(client, user.email, "wrong-password")
    assert _attempt(client, user.email, PASSWORD).status_code == 302


def test_failures_are_stored_in_the_database(client, session):
    user = make_user(Role.ENTERPRISE)
    for _ in range(3):
        _attempt(client, user.email.upper(), "wrong-password")
    rows = session.scalars(sa.select(LoginFailure).where(LoginFailure.email == user.email)).all()
    assert len(rows) == 3
    assert {r.remote_addr for r in rows} == {"127.0.0.1"}


def test_two_app_servers_sharing_the_database_agree(client, second_app, session):
    user = make_user(Role.ENTERPRISE)
    other_client = second_app.test_client()
    english(client)
    english(other_client)
    for _ in range(3):
        _attempt(client, user.email, "wrong-password")
    for _ in range(2):
        _attempt(other_client, user.email, "wrong-password")
    assert THROTTLED in text(_attempt(client, user.email, PASSWORD))
    assert THROTTLED in text(_attempt(other_client, user.email, PASSWORD))


def test_success_clears_the_failures(client, session):
    user = make_user(Role.ENTERPRISE)
    for _ in range(4):
        _attempt(client, user.email, "wrong-password")
    assert _failures(session, user.email) == 4
    assert _attempt(client, user.email, PASSWORD).status_code == 302
    assert _failures(session, user.email) == 0
    client.post("/logout")
    for _ in range(4):
        _attempt(client, user.email, "wrong-password")
    assert _attempt(client, user.email, PASSWORD).status_code == 302


def test_failures_older_than_the_window_do_not_count(client, session):
    user = make_user(Role.ENTERPRISE)
    old = utcnow() - timedelta(minutes=16)
    session.add_all(
        [LoginFailure(email=user.email, remote_addr="127.0.0.1", at=old) for _ in range(5)]
    )
    session.flush()
    assert _attempt(client, user.email, PASSWORD).status_code == 302


def test_lock_is_per_account(client, session):
    locked = make_user(Role.ENTERPRISE)
    other = make_user(Role.ENTERPRISE)
    for _ in range(5):
        _attempt(client, locked.email, "wrong-password")
    assert _attempt(client, other.email, PASSWORD).status_code == 302
