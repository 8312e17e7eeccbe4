"""Configuration layers: defaults, instance/config.py, PORTAL_* environment; a real secret."""

from __future__ import annotations

import pytest

from portal import create_app


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """An instance folder for create_app() with no test config (the production path)."""
    for key in ("PORTAL_ENV", "PORTAL_SECRET_KEY", "PORTAL_DATABASE_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def test_development_defaults_use_sqlite_in_the_instance_folder(instance):
    app = create_app()
    assert app.config["SQLALCHEMY_URL"] == f"sqlite:///{instance / 'portal.sqlite3'}"
    assert app.config["STORAGE_LOCAL_ROOT"] == str(instance / "files")


def test_instance_file_overrides_defaults_and_environment_overrides_both(instance, monkeypatch):
    (instance / "config.py").write_text(
        "MAIL_SENDER = 'office@example.com'\nLOGIN_MAX_FAILURES_PER_ACCOUNT = 7\n"
    )
    monkeypatch.setenv("PORTAL_LOGIN_MAX_FAILURES_PER_ACCOUNT", "9")
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
    monkeypatch.setenv("PORTAL_SECRET_KEY", "k" * 48)
    assert create_app().config["SECRET_KEY"] == "k" * 48


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
