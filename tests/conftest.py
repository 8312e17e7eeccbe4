"""Shared fixtures: the app on SQLite or PostgreSQL, a rolled-back transaction per test, login.

The app is built once per configuration and shared (see PortalApps and `app`); each test runs
in a transaction of its own that is rolled back at its end, and what it changes in the app's
config is put back.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, g, has_app_context
from flask import session as flask_session
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_login import login_user

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
            forget_loaded_rows()


def forget_loaded_rows() -> None:
    """Make the test's own session read again what a request may have changed."""
    if has_app_context() and "db_session" in g:
        g.db_session.expire_all()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "own_app: the test gets a portal app of its own instead of the shared one "
        "(for tests that add routes or otherwise change the app beyond its config)",
    )


class PortalApps:
    """Portal apps built once per test configuration and shared by the tests that use it.

    Building the portal costs about 50 ms of CPU (mostly compiling the URL rules), more than
    most tests themselves. The instance folder is not part of the key: each test still gets
    its own (see `app`). At most `size` apps are kept; the least recently used goes first.
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.apps: OrderedDict[str, Flask] = OrderedDict()

    @staticmethod
    def key(config: dict) -> str:
        return repr(sorted((k, v) for k, v in config.items() if k != "INSTANCE_PATH"))

    def get(self, config: dict) -> Flask:
        key = self.key(config)
        if key in self.apps:
            self.apps.move_to_end(key)
            return self.apps[key]
        app = self.apps[key] = build_app(config)
        while len(self.apps) > self.size:
            self.apps.popitem(last=False)
        return app


def build_app(config: dict) -> Flask:
    app = create_app(config)
    app.test_client_class = IsolatedRequestClient
    # Requests run on each test's connection (see bound_to); the app's own engine never connects.
    app.extensions["portal.db"]["engine"].dispose()
    return app


PORTAL_APPS = PortalApps()


@contextmanager
def bound_to(app: Flask, connection: sa.Connection) -> Iterator[None]:
    """Every session of the app joins `connection`'s transaction inside a savepoint.

    Code under test that commits only releases its savepoint (SQLAlchemy's "join a session into
    an external transaction" recipe), so the test's outer rollback undoes everything.
    """
    db = app.extensions["portal.db"]
    engine = db["engine"]
    db["engine"] = connection
    db["sessionmaker"].configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield
    finally:
        db["engine"] = engine
        db["sessionmaker"].configure(bind=engine)


@contextmanager
def restored_after(app: Flask, instance_path: str | None) -> Iterator[None]:
    """What a test changes on a shared app is put back: the config and the instance folder.

    A test may set app.config directly (a limit, a mail host) or give its own instance folder;
    local file storage then lives in that folder, as in an app of its own.
    """
    config = dict(app.config)
    saved_instance = app.instance_path
    if instance_path and instance_path != saved_instance:
        app.instance_path = instance_path
        os.makedirs(instance_path, exist_ok=True)
        if config["STORAGE_LOCAL_ROOT"] == str(Path(saved_instance) / "files"):
            app.config["STORAGE_LOCAL_ROOT"] = str(Path(instance_path) / "files")
    app.extensions.pop("portal.storage", None)  # built again from this test's settings
    try:
        yield
    finally:
        app.config.clear()
        app.config.update(config)
        app.instance_path = saved_instance
        app.extensions.pop("portal.storage", None)


@pytest.fixture
def app(request, app_config, db_engine):
    """The portal bound to one connection whose transaction is rolled back after the test.

    The app is shared by every test with the same app_config (apart from the instance folder);
    what a test changes in app.config is undone afterwards. A test that changes the app in
    other ways (adds a route) is marked `own_app` and gets an app built for it alone.
    """
    if request.node.get_closest_marker("own_app"):
        portal_app = build_app(app_config)
    else:
        portal_app = PORTAL_APPS.get(app_config)
    with (
        db_engine.connect() as connection,
        restored_after(portal_app, app_config.get("INSTANCE_PATH")),
    ):
        transaction = connection.begin()
        try:
            with bound_to(portal_app, connection), portal_app.app_context():
                yield portal_app
        finally:
            transaction.rollback()


@pytest.fixture
def session(app):
    from portal.db import get_session

    return get_session()


@pytest.fixture
def client(app):
    return app.test_client()


def log_in(client: FlaskClient, user) -> None:
    """Log the client in as `user` by writing the session the login form would write.

    Flask-Login's own login_user() fills it, with the user's id and session version
    (User.get_id), so ending the user's sessions ends this one too. Much cheaper than posting
    the form: no request, no password hash, no throttle bookkeeping.
    """
    app = client.application
    with app.app_context(), app.test_request_context(environ_base=client.environ_base):
        assert login_user(user), f"{user.email} is not active"
        values = dict(flask_session)
    with client.session_transaction() as client_session:
        client_session.update(values)
    forget_loaded_rows()  # as after the login form's request


@pytest.fixture
def login(client):
    """login(user) logs the test client in as that user, through the session (see log_in).

    login(user, password) posts the real login form instead, for tests about logging in.
    """

    def _login(user, password: str | None = None):
        if password is None:
            log_in(client, user)
            return None
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return _login
