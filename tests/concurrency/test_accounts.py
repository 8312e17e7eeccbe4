"""Login throttling under parallel guesses: the limit holds, on SQLite and PostgreSQL."""

from __future__ import annotations

import html

from portal.accounts.models import LoginFailure, Role
from tests.concurrency.conftest import client_for, race, seeded
from tests.factories import PASSWORD, make_user

WRONG = "Wrong email or password."
THROTTLED = "Too many failed attempts. Please wait 15 minutes or reset your password."


def test_parallel_wrong_passwords_are_checked_no_more_often_than_the_limit(racing_app):
    limit = racing_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    with seeded(racing_app) as session:
        email = make_user(Role.ADMIN).email
    clients = [client_for(racing_app) for _ in range(20)]
    for client in clients:
        client.get("/lang/en")

    def guess(i: int) -> str:
        response = clients[i].post("/login", data={"email": email, "password": f"guess-{i}"})
        assert response.status_code == 200, response.status_code
        page = html.unescape(response.get_data(as_text=True))
        return "wrong" if WRONG in page else "throttled" if THROTTLED in page else page

    answers = race(20, guess)
    # Every password that was checked answers "wrong"; the others never reached the hash.
    assert sorted(answers) == ["throttled"] * (20 - limit) + ["wrong"] * limit
    with seeded(racing_app) as session:
        counted = session.get(LoginFailure, (email, "127.0.0.1"))
        assert counted.attempts == 20
    # And the owner, from the same address, waits like everyone there.
    response = clients[0].post("/login", data={"email": email, "password": PASSWORD})
    assert THROTTLED in html.unescape(response.get_data(as_text=True))
