"""Login throttling: failures are counted in the database over a window."""

from __future__ import annotations

import statistics
import time
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
    """Counted attempts on the account from the test client's address ('' for all accounts)."""
    return (
        session.scalar(
            sa.select(LoginFailure.attempts).where(
                LoginFailure.email == email, LoginFailure.remote_addr == "127.0.0.1"
            )
        )
        or 0
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


def test_failures_are_counted_per_account_and_address_in_the_database(client, session):
    user = make_user(Role.ENTERPRISE)
    for _ in range(3):
        _attempt(client, user.email.upper(), "wrong-password")
    rows = session.execute(
        sa.select(LoginFailure.email, LoginFailure.remote_addr, LoginFailure.attempts)
    ).all()
    assert sorted(rows) == [("", "127.0.0.1", 3), (user.email, "127.0.0.1", 3)]


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
    assert _failures(session, "") == 4
    client.post("/logout")
    for _ in range(4):
        _attempt(client, user.email, "wrong-password")
    assert _attempt(client, user.email, PASSWORD).status_code == 302


def test_failures_older_than_the_window_do_not_count(client, session):
    user = make_user(Role.ENTERPRISE)
    old = utcnow() - timedelta(minutes=16)
    session.add(
        LoginFailure(email=user.email, remote_addr="127.0.0.1", window_start=old, attempts=5)
    )
    session.flush()
    assert _attempt(client, user.email, PASSWORD).status_code == 302


def test_lock_is_per_account(client, session):
    locked = make_user(Role.ENTERPRISE)
    other = make_user(Role.ENTERPRISE)
    for _ in range(5):
        _attempt(client, locked.email, "wrong-password")
    assert _attempt(client, other.email, PASSWORD).status_code == 302


ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OFFICE, Role.ENTERPRISE])
def test_guessing_from_one_address_does_not_lock_out_the_owner_elsewhere(client, session, role):
    user = make_user(role)
    english(client)
    for _ in range(12):
        client.post(
            "/login", data={"email": user.email, "password": "guess"}, environ_base=ATTACKER
        )
    # The attacker's address is locked out of this account, even with the right password …
    locked = client.post(
        "/login", data={"email": user.email, "password": PASSWORD}, environ_base=ATTACKER
    )
    assert THROTTLED in text(locked)
    # … while the owner logs in from home as usual.
    owner = client.post(
        "/login", data={"email": user.email, "password": PASSWORD}, environ_base=OWNER
    )
    assert owner.status_code == 302
    assert owner.headers["Location"] == "/home"


def test_one_address_is_limited_over_all_accounts(app, client, session):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 8
    user = make_user(Role.ENTERPRISE)
    english(client)
    for n in range(8):
        response = client.post(
            "/login",
            data={"email": f"spray{n}@example.com", "password": "x"},
            environ_base=ATTACKER,
        )
        assert WRONG in text(response)
    refused = client.post(
        "/login", data={"email": user.email, "password": PASSWORD}, environ_base=ATTACKER
    )
    assert THROTTLED in text(refused)
    assert (
        client.post(
            "/login", data={"email": user.email, "password": PASSWORD}, environ_base=OWNER
        ).status_code
        == 302
    )


def _median_seconds(client, email: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.post("/login", data={"email": email, "password": "wrong-password"})
        times.append(time.perf_counter() - started)
        assert WRONG in text(response)
    return statistics.median(times)


def test_an_unknown_account_answers_as_slowly_as_a_known_one(app, client, session):
    """With the production hash, the time of a refusal does not tell whether the account exists."""
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 100
    user = make_user(Role.ADMIN)
    assert user.password_hash.startswith("scrypt:")
    english(client)
    _median_seconds(client, "nobody@example.com", 1)  # warm-up
    known, unknown = [], []
    for _ in range(3):
        known.append(_median_seconds(client, user.email, 3))
        unknown.append(_median_seconds(client, "nobody@example.com", 3))
    known_s, unknown_s = statistics.median(known), statistics.median(unknown)
    assert unknown_s >= 0.5 * known_s, (known_s, unknown_s)


def test_an_overlong_client_address_is_counted_not_a_500(client, session):
    english(client)
    response = client.post(
        "/login",
        data={"email": "nobody@example.com", "password": "x"},
        environ_base={"REMOTE_ADDR": "f" * 100},
    )
    assert response.status_code == 200
    assert WRONG in text(response)
