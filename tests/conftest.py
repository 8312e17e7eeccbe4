"""Shared fixtures: app on SQLite or PostgreSQL, a rolled-back transaction per test, login."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.globals import _cv_app
from flask.testing import FlaskClient

import portal.models  # noqa: F401
from portal import create_app
from portal.db import Base, make_engine

TEST_DATABASE_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")
# With PORTAL_REQUIRE_ALL_TIERS=1 (CI), a tier that cannot run fails instead of skipping.
REQUIRE_ALL_TIERS = os.environ.get("PORTAL_REQUIRE_ALL_TIERS") == "1"


def side_database_name(purpose: str) -> str:
    """A database beside the test one, named after it, so two runs on one server keep apart."""
    base = sa.make_url(TEST_DATABASE_URL).database if TEST_DATABASE_URL else "portal"
    return f"{base}_{purpose}"


@contextmanager
def side_database(tmp_path_factory, purpose: str) -> Iterator[str]:
    """The URL of an empty database of its own for a tier whose requests commit for real.

    A new SQLite file, or `<test database>_<purpose>` created on the test PostgreSQL server and
    dropped afterwards.
    """
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp(purpose) / f'{purpose}.sqlite3'}"
        return
    name = side_database_name(purpose)
    admin = make_engine(TEST_DATABASE_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield (
            sa.make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


def require_or_skip(reason: str) -> None:
    if REQUIRE_ALL_TIERS:
        pytest.fail(f"required test tier unavailable: {reason}")
    pytest.skip(reason)


def pytest_runtest_logreport(report):
    if REQUIRE_ALL_TIERS and report.skipped and report.when in ("setup", "call"):
        report.outcome = "failed"
        report.longrepr = f"skipped tests fail when PORTAL_REQUIRE_ALL_TIERS=1: {report.longrepr}"


def reset_schema(engine: sa.Engine) -> None:
    """Drop and recreate every table from the models."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        else:
            Base.metadata.drop_all(conn)
        Base.metadata.create_all(conn)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def db_engine(database_url):
    engine = make_engine(database_url)
    reset_schema(engine)
    yield engine
    engine.dispose()


def make_test_config(database_url: str, instance_path: Path, **extra) -> dict:
    config = {
        "TESTING": True,
        "ENV": "testing",
        "SECRET_KEY": "test-secret-key-not-for-production-use",
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance_path),
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "portal.test",
        # Fast hashing keeps hundreds of logins quick; production uses scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    config.update(extra)
    return config


# Tests of these packages compare messages with their English msgids, so they run in English;
# Chinese by default is tested in tests/test_i18n.py and the browser tier.
ENGLISH_PACKAGES = {
    "applications",
    "honours",
    "notice",
    "review",
    "scoring",
    "similarity",
    "statistics",
}
TESTS = Path(__file__).resolve().parent


@pytest.fixture
def app_config(request, database_url, tmp_path) -> dict:
    """Override in a test module to change settings; the app fixture reads it."""
    config = make_test_config(database_url, tmp_path / "instance")
    if request.path.resolve().relative_to(TESTS).parts[0] in ENGLISH_PACKAGES:
        config["BABEL_DEFAULT_LOCALE"] = "en"
    return config


class IsolatedRequestClient(FlaskClient):
    """Each request gets its own app context and `g`, as in production.

    The test itself holds an app context (for factories and services); without this, requests
    would share its `g` and with it Flask-Login's cached user, Babel's locale and the session.
    After each request the test's own session forgets what it loaded, so it sees the request's
    writes.
    """

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)
            if has_app_context() and "db_session" in g:
                g.db_session.expire_all()


@pytest.fixture
def app(app_config, db_engine):
    """The portal bound to one connection whose transaction is rolled back after the test."""
    app = create_app(app_config)
    app.test_client_class = IsolatedRequestClient
    connection = db_engine.connect()
    transaction = connection.begin()
    maker = app.extensions["portal.db"]["sessionmaker"]
    app.extensions["portal.db"]["engine"].dispose()
    app.extensions["portal.db"]["engine"] = connection
    maker.configure(bind=connection, join_transaction_mode="create_savepoint")
    with app.app_context():
        yield app
    transaction.rollback()
    connection.close()


@pytest.fixture
def session(app):
    from portal.db import get_session

    return get_session()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(client):
    """login(user) logs the test client in as that user through the real login form."""
    from tests.factories import PASSWORD

    def _login(user, password: str = PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return _login
