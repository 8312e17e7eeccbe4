"""Configuration: defaults here, then instance/config.py, then PORTAL_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

DEV_SECRET_KEY = "dev-only-not-secret"


# Environments that may run with the published development key, and only when they say so.
DEVELOPMENT_ENVS = ("development", "testing")


class Defaults:
    """Settings that work out of the box on the embedded defaults (SQLite, local files).

    The environment is production unless the demo or the tests say otherwise: a start
    without a real SECRET_KEY is refused, and session cookies are sent over HTTPS only.
    """

    ENV = "production"
    SECRET_KEY: str | None = None  # development and testing fall back to DEV_SECRET_KEY
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
    # Mail: every message is written to the outbox table; SMTP delivers it when MAIL_SMTP_HOST
    # is set.
    MAIL_SMTP_HOST: str | None = None
    MAIL_SMTP_PORT = 25
    MAIL_SMTP_USER: str | None = None
    MAIL_SMTP_PASSWORD: str | None = None
    MAIL_SMTP_STARTTLS = False
    MAIL_SENDER = "service-star@localhost"
    MAIL_SMTP_TIMEOUT = 15  # seconds for each step of the SMTP conversation
    # after_commit: the committing process delivers right after its commit (embedded default);
    # worker: `flask outbox deliver --loop` delivers (recommended with PostgreSQL).
    MAIL_DELIVERY = "after_commit"
    # A failed delivery is retried after MAIL_RETRY_SECONDS, doubled each time up to
    # MAIL_RETRY_MAX_SECONDS; after MAIL_MAX_ATTEMPTS attempts the message is marked failed.
    MAIL_MAX_ATTEMPTS = 8
    MAIL_RETRY_SECONDS = 60
    MAIL_RETRY_MAX_SECONDS = 6 * 60 * 60
    MAIL_CLAIM_SECONDS = 5 * 60  # a delivering worker's hold; after it, another may retry
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
    # None: Secure (HTTPS only) outside development and testing; see load_config().
    SESSION_COOKIE_SECURE: bool | None = None
    REMEMBER_COOKIE_SECURE: bool | None = None
    MAX_CONTENT_LENGTH: int | None = None  # uploads are capped per campaign, streamed
    PREFERRED_URL_SCHEME = "http"
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted
    # (1 behind the nginx of the deployment guide). 0 trusts none: the right value without one.
    PROXY_COUNT = 0


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config from defaults, instance/config.py, PORTAL_* variables, then test_config."""
    app.config.from_object(Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        # PORTAL_<NAME>: values that parse as JSON (numbers, true, lists) are decoded, others
        # stay strings.
        app.config.from_prefixed_env("PORTAL")
    else:
        app.config.update(test_config)
    app.config["SQLALCHEMY_URL"] = resolve_database_url(app)
    if app.config["STORAGE_LOCAL_ROOT"] is None:
        app.config["STORAGE_LOCAL_ROOT"] = str(Path(app.instance_path) / "files")
    check_secret_key(app)
    production = not is_development(app)
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config[name] is None:
            app.config[name] = production


def resolve_database_url(app: Flask) -> str:
    url = app.config.get("DATABASE_URL")
    if url:
        return str(url)
    return f"sqlite:///{Path(app.instance_path) / 'portal.sqlite3'}"


def is_development(app: Flask) -> bool:
    return app.config["ENV"] in DEVELOPMENT_ENVS or bool(app.config.get("TESTING"))


def check_secret_key(app: Flask) -> None:
    """Refuse to start without a real key, unless the demo or the tests said who they are.

    The development key is published in this file: anyone could sign a session cookie for
    any user with it. Only ENV=development (the demo) or testing may fall back to it.
    """
    key = app.config.get("SECRET_KEY")
    if is_development(app):
        if not key:
            app.config["SECRET_KEY"] = DEV_SECRET_KEY
        return
    if not key or key == DEV_SECRET_KEY or len(str(key)) < 32:
        raise RuntimeError(
            "The portal will not start without a secret key: set PORTAL_SECRET_KEY (or "
            "SECRET_KEY in instance/config.py) to a random string of at least 32 characters, "
            "the same on every server, e.g. the output of "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'. "
            "Only the demo runs without one, with PORTAL_ENV=development (./dev demo)."
        )
