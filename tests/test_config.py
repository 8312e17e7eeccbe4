"""Configuration layers: defaults, instance/config.py, PORTAL_* environment; a real key outside dev."""

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
