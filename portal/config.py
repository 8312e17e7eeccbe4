"""Configuration: defaults here, then instance/config.py, then PORTAL_* environment variables."""

from __future__ import annotations

import json
import os
from pathlib import Path

DEV_SECRET_KEY = "dev-only-not-secret"


class Defaults:
    """Settings that work out of the box on the embedded defaults (SQLite, local files)."""

    ENV = "development"
    SECRET_KEY = DEV_SECRET_KEY
    # None means "SQLite file in the instance folder"; see resolve_database_url().
    DATABASE_URL: str | None = None
    # local | s3
    STORAGE_BACKEND = "local"
    STORAGE_LOCAL_ROOT: str | None = None  # default: <instance>/files
    S3_BUCKET: str | None = None
    S3_PREFIX = ""
    S3_ENDPOINT_URL: str | None = None
    S3_REGION = "us-east-1"
    S3_PRESIGN_SECONDS = 120
    # Mail: SMTP when MAIL_SMTP_HOST is set; every message is also kept in the outbox table.
    MAIL_SMTP_HOST: str | None = None
    MAIL_SMTP_PORT = 25
    MAIL_SMTP_USER: str | None = None
    MAIL_SMTP_PASSWORD: str | None = None
    MAIL_SMTP_STARTTLS = False
    MAIL_SENDER = "service-star@localhost"
    # Login throttling: failures counted in the database, so every app server agrees.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 30
    LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
    PASSWORD_RESET_MAX_AGE_SECONDS = 60 * 60
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_Hans_CN", "en")
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH: int | None = None  # uploads are capped per campaign, streamed
    PREFERRED_URL_SCHEME = "http"
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted
    # (1 behind the nginx of the deployment guide). 0 trusts none: the right value without one.
    PROXY_COUNT = 0


def _coerce(raw: str):
    """Environment values may be JSON (numbers, booleans, lists); otherwise they stay strings."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def load_config(app, test_config: dict | None) -> None:
    """Fill app.config from defaults, instance/config.py, PORTAL_* variables, then test_config."""
    app.config.from_object(Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for key, raw in os.environ.items():
            if key.startswith("PORTAL_"):
                app.config[key.removeprefix("PORTAL_")] = _coerce(raw)
    else:
        app.config.update(test_config)
    app.config["SQLALCHEMY_URL"] = resolve_database_url(app)
    if app.config["STORAGE_LOCAL_ROOT"] is None:
        app.config["STORAGE_LOCAL_ROOT"] = str(Path(app.instance_path) / "files")
    check_secret_key(app)


def resolve_database_url(app) -> str:
    url = app.config.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{Path(app.instance_path) / 'portal.sqlite3'}"


def check_secret_key(app) -> None:
    """Outside development and testing the portal refuses to run with a missing or known key."""
    if app.config["ENV"] in ("development", "testing") or app.config.get("TESTING"):
        return
    key = app.config.get("SECRET_KEY")
    if not key or key == DEV_SECRET_KEY or len(str(key)) < 32:
        raise RuntimeError(
            "SECRET_KEY must be set to a random value of at least 32 characters "
            "(PORTAL_SECRET_KEY or instance/config.py) outside development."
        )
