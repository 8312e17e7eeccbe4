"""Configuration layers: defaults, instance/config.py, PORTAL_* environment; a real secret."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from portal import create_app
from portal.accounts.models import Role
from portal.config import DEV_SECRET_KEY, Defaults
from tests.conftest import IsolatedRequestClient
from tests.factories import PASSWORD, make_user

ROOT = Path(__file__).resolve().parent.parent
REAL_KEY = "k" * 48
REFUSAL = "The portal will not start without a secret key"


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """An instance folder for create_app() with no test config (the production path)."""
    for key in [k for k in os.environ if k.startswith("PORTAL_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def test_development_defaults_use_sqlite_in_the_instance_folder(instance, monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "development")
    app = create_app()
    assert app.config["SQLALCHEMY_URL"] == f"sqlite:///{instance / 'portal.sqlite3'}"
    assert app.config["STORAGE_LOCAL_ROOT"] == str(instance / "files")


def test_instance_file_overrides_defaults_and_environment_overrides_both(instance, monkeypatch):
    (instance / "config.py").write_text(
        "MAIL_SENDER = 'office@example.com'\nLOGIN_MAX_FAILURES_PER_ACCOUNT = 7\n"
    )
    monkeypatch.setenv("PORTAL_LOGIN_MAX_FAILURES_PER_ACCOUNT", "9")
    monkeypatch.setenv("PORTAL_ENV", "development")
    app = create_app()
    assert app.config["MAIL_SENDER"] == "office@example.com"
    assert app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] == 9


@pytest.mark.parametrize("key", [None, "dev-only-not-secret", "too-short"])
def test_production_refuses_to_start_without_a_real_secret_key(instance, monkeypatch, key):
    monkeypatch.setenv("PORTAL_ENV", "production")
    if key:
        monkeypatch.setenv("PORTAL_SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_starts_with_a_real_secret_key(instance, monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", REAL_KEY)
    assert create_app().config["SECRET_KEY"] == REAL_KEY


def test_a_start_that_does_not_say_development_needs_a_real_key(instance):
    with pytest.raises(RuntimeError, match=REFUSAL):
        create_app()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_readme_deploy_command_without_a_key_refuses_with_a_clear_message(instance):
    """`PORTAL_PROXY_COUNT=1 gunicorn -c deploy/gunicorn.conf.py 'portal:create_app()'`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env |= {
        "PORTAL_PROXY_COUNT": "1",
        "PORTAL_INSTANCE_PATH": str(instance),
        "GUNICORN_BIND": f"127.0.0.1:{_free_port()}",
        "GUNICORN_WORKERS": "1",
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
               "portal:create_app()"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        _out, err = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.communicate()
        pytest.fail("gunicorn served the portal without a secret key")
    assert server.returncode != 0
    assert REFUSAL in err
    assert "PORTAL_SECRET_KEY" in err


def _app_from_environment(app) -> Flask:
    """create_app() as a server builds it from PORTAL_* variables, on this test's data."""
    built = create_app()
    built.test_client_class = IsolatedRequestClient
    connection = app.extensions["portal.db"]["engine"]
    built.extensions["portal.db"]["engine"].dispose()
    built.extensions["portal.db"]["engine"] = connection
    built.extensions["portal.db"]["sessionmaker"].configure(
        bind=connection, join_transaction_mode="create_savepoint"
    )
    return built


def _forged_session_cookie(user) -> str:
    """A session naming `user`, signed with the development key published in the source."""
    forger = Flask("forger")
    forger.secret_key = DEV_SECRET_KEY
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    return serializer.dumps({"_user_id": user.get_id(), "_fresh": True})


def test_cookie_forged_with_the_development_key_opens_nothing_in_production(
    app, instance, monkeypatch
):
    admin = make_user(Role.ADMIN)
    cookie = _forged_session_cookie(admin)
    monkeypatch.setenv("PORTAL_ENV", "development")  # the demo, which says what it is
    demo = _app_from_environment(app).test_client()
    demo.set_cookie("session", cookie, domain="localhost")
    assert demo.get("/office/users/new").status_code == 200  # the forgery is a good one

    monkeypatch.delenv("PORTAL_ENV")  # a deployment, with its own key
    monkeypatch.setenv("PORTAL_SECRET_KEY", REAL_KEY)
    deployed = _app_from_environment(app).test_client()
    deployed.set_cookie("session", cookie, domain="localhost")
    response = deployed.get("/office/users/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def _session_cookie_after_login(client, user) -> str:
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def test_session_cookie_is_https_only_in_production(app, instance, monkeypatch):
    user = make_user(Role.ENTERPRISE)
    monkeypatch.setenv("PORTAL_SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("PORTAL_WTF_CSRF_ENABLED", "false")
    client = _app_from_environment(app).test_client()
    cookie = _session_cookie_after_login(client, user)
    assert "; Secure" in cookie
    assert "; HttpOnly" in cookie


def test_demo_session_cookie_works_over_plain_http(app, instance, monkeypatch):
    user = make_user(Role.ENTERPRISE)
    monkeypatch.setenv("PORTAL_ENV", "development")
    monkeypatch.setenv("PORTAL_WTF_CSRF_ENABLED", "false")
    client = _app_from_environment(app).test_client()
    assert "; Secure" not in _session_cookie_after_login(client, user)


def test_behind_a_proxy_login_failures_count_against_the_real_client(app_config, db_engine):
    """With PROXY_COUNT=1 the client address comes from X-Forwarded-For, not the proxy."""
    import sqlalchemy as sa

    from portal.accounts.models import LoginFailure

    app = create_app(app_config | {"PROXY_COUNT": 1})
    try:
        with app.test_client() as client:
            client.post(
                "/login",
                data={"email": "nobody@example.com", "password": "wrong-password"},
                headers={"X-Forwarded-For": "203.0.113.7"},
                environ_base={"REMOTE_ADDR": "127.0.0.1"},
            )
    finally:
        app.extensions["portal.db"]["engine"].dispose()
    with db_engine.begin() as conn:
        addr = conn.scalar(
            sa.select(LoginFailure.remote_addr).where(LoginFailure.email == "nobody@example.com")
        )
        conn.execute(sa.delete(LoginFailure).where(LoginFailure.email == "nobody@example.com"))
    assert addr == "203.0.113.7"


# Settings read as config["NAME"], config.get("NAME", ...) or through the notice's _limit("NAME").
_SETTING_READ = re.compile(
    r"""(?:(?:config|cfg)(?:\.get)?\s*[\[(]|_limit\()\s*["']([A-Z][A-Z0-9_]+)["']"""
)
_NOT_SETTINGS = {"SQLALCHEMY_URL", "TESTING"}  # derived from DATABASE_URL; set by the tests


def test_the_example_instance_file_documents_every_setting_and_runs():
    example = (ROOT / "instance" / "config.py.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^# ([A-Z][A-Z0-9_]+) = ", example, re.M))
    read = {
        m
        for path in (ROOT / "portal").rglob("*.py")
        for m in _SETTING_READ.findall(path.read_text())
    }
    defaults = {name for name in vars(Defaults) if name.isupper()}
    assert (read | defaults) - _NOT_SETTINGS - documented == set()
    assert documented - read - defaults == set()
    uncommented = re.sub(r"^# ([A-Z][A-Z0-9_]+ = )", r"\1", example, flags=re.M)
    values: dict = {}
    exec(compile(uncommented, "config.py", "exec"), values)
    assert {name: values[name] for name in defaults} == {
        name: getattr(Defaults, name) for name in defaults
    }
