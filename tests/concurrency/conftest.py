"""Concurrency tier: real requests in parallel threads against committed rows.

The `app` fixture of the other tests runs every request on one rolled-back connection, which
serialises them; a race needs requests that each open their own connection and transaction,
as gunicorn workers do. `racing_app` is the portal on a database of its own (a new SQLite file,
or `<test database>_concurrency` on the test PostgreSQL server), emptied for each test.
Tests seed with `seeded(racing_app)` and fire with `race(n, fn)`, which releases n threads at
once through a barrier and returns what each returned.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import create_app
from portal.db import get_session
from portal.reference import seed_reference
from tests.conftest import make_test_config, reset_schema, side_database

_T = TypeVar("_T")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/concurrency/" in item.nodeid:
            item.add_marker(pytest.mark.concurrency)


@pytest.fixture(scope="session")
def concurrency_database_url(tmp_path_factory) -> Iterator[str]:
    with side_database(tmp_path_factory, "concurrency") as url:
        yield url


@pytest.fixture
def racing_app(concurrency_database_url, tmp_path) -> Iterator[Flask]:
    """The portal on a freshly emptied database of its own; every request commits for real."""
    app = create_app(make_test_config(concurrency_database_url, tmp_path / "instance"))
    engine = app.extensions["portal.db"]["engine"]
    reset_schema(engine)
    with seeded(app) as session:
        seed_reference(session)
    yield app
    engine.dispose()


@contextmanager
def seeded(app: Flask) -> Iterator:
    """A session in the racing app's database; what the block adds is committed at its end."""
    with app.app_context():
        session = get_session()
        yield session
        session.commit()


def race(n: int, fn: Callable[[int], _T], timeout: float = 60) -> list[_T]:
    """Run fn(0) … fn(n-1) in n threads released together; their results in index order.

    An exception in any thread is raised here, so a 5xx assertion inside fn fails the test.
    """
    barrier = threading.Barrier(n)

    def start(i: int) -> _T:
        barrier.wait(timeout=timeout)
        return fn(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        futures = [pool.submit(start, i) for i in range(n)]
        return [f.result(timeout=timeout) for f in futures]


def client_for(app: Flask, user=None, password: str | None = None) -> FlaskClient:
    """A test client of its own (a separate cookie jar), logged in through the form if asked."""
    from tests.factories import PASSWORD

    client = app.test_client()
    if user is not None:
        response = client.post(
            "/login", data={"email": user.email, "password": password or PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    return client
