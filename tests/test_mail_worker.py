"""`flask outbox deliver`: retries with backoff against a real SMTP server, gives up in the end,
and the outbox page shows how delivery went without ever showing a secret."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.db import make_engine, utcnow
from portal.mail import OutboxMessage, OutboxStatus
from tests.accounts.helpers import english, reset_path, text
from tests.conftest import reset_schema
from tests.factories import make_user
from tests.smtp import SMTPServer, running_smtp_server

ROOT = Path(__file__).resolve().parent.parent
RETRY = 0.4  # seconds before the first retry in these tests; doubled for each further one


@pytest.fixture
def smtp_server():
    server = SMTPServer()  # not started: its port refuses connections until a test starts it
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config, smtp_server):
    return {
        **app_config,
        **smtp_server.config(),
        "MAIL_DELIVERY": "worker",
        "MAIL_RETRY_SECONDS": RETRY,
        "MAIL_MAX_ATTEMPTS": 3,
    }


def deliver(app) -> str:
    result = app.test_cli_runner().invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def reset_mail(session, client, user) -> OutboxMessage:
    english(client)
    client.post("/password/forgot", data={"email": user.email})
    return session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == user.email))


def wait_until_due(message: OutboxMessage) -> None:
    time.sleep(max((message.next_attempt_at - utcnow()).total_seconds(), 0) + 0.05)


def test_worker_retries_a_failing_server_with_backoff_and_delivers_once(
    app, client, session, smtp_server
):
    user = make_user(Role.ENTERPRISE)
    message = reset_mail(session, client, user)
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)  # worker's job

    # 1. Nothing listens on the port yet.
    assert deliver(app) == "0 sent, 1 to retry, 0 failed"
    session.refresh(message)
    assert message.attempts == 1
    assert message.last_error.startswith("ConnectionRefusedError")
    first_wait = message.next_attempt_at - utcnow()
    assert timedelta(seconds=RETRY - 0.2) < first_wait <= timedelta(seconds=RETRY)

    # 2. The server is up but answers 451 once. Before the backoff ends nothing is tried.
    smtp_server.handler.refusals.append("451 4.3.0 Try again later")
    smtp_server.start()
    assert deliver(app) == "0 sent, 0 to retry, 0 failed"
    assert smtp_server.handler.refusals == ["451 4.3.0 Try again later"]
    wait_until_due(message)
    assert deliver(app) == "0 sent, 1 to retry, 0 failed"
    session.refresh(message)
    assert message.attempts == 2
    assert message.last_error.startswith("SMTPDataError: (451")
    # The backoff doubled.
    second_wait = message.next_attempt_at - utcnow()
    assert timedelta(seconds=2 * RETRY - 0.2) < second_wait <= timedelta(seconds=2 * RETRY)

    # 3. Now it answers: delivered once, with the link, which the outbox then forgets.
    wait_until_due(message)
    assert deliver(app) == "1 sent, 0 to retry, 0 failed"
    assert deliver(app) == "0 sent, 0 to retry, 0 failed"
    (body,) = smtp_server.handler.bodies_to(user.email)
    assert client.get(reset_path(body)).status_code == 200
    session.refresh(message)
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 3, None)
    assert message.sealed_body is None


def test_worker_gives_up_after_the_last_attempt_and_drops_the_secret(
    app, client, session, smtp_server
):
    user = make_user(Role.ENTERPRISE)
    message = reset_mail(session, client, user)
    for expected in ("0 sent, 1 to retry, 0 failed", "0 sent, 1 to retry, 0 failed"):
        assert deliver(app) == expected
        session.refresh(message)
        wait_until_due(message)
    assert deliver(app) == "0 sent, 0 to retry, 1 failed"
    session.refresh(message)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 3)
    assert message.sealed_body is None  # given up: the link is kept nowhere
    smtp_server.start()  # even once the server answers, a failed message stays failed
    assert deliver(app) == "0 sent, 0 to retry, 0 failed"
    assert smtp_server.handler.received == []


def test_outbox_page_shows_delivery_state_attempts_and_error_but_no_secret(
    app, client, session, login, smtp_server
):
    user = make_user(Role.ENTERPRISE)
    message = reset_mail(session, client, user)
    deliver(app)
    session.refresh(message)
    link = reset_path(message.sealed_body)
    login(make_user(Role.OFFICE))
    page = text(client.get("/office/outbox"))
    assert "Retrying at" in page
    assert "ConnectionRefusedError" in page
    assert link not in page and "/password/reset/" not in page
    smtp_server.start()
    wait_until_due(message)
    deliver(app)
    page = text(client.get("/office/outbox"))
    assert "Sent " in page and "Retrying at" not in page
    assert "ConnectionRefusedError" not in page
    assert "[withheld: sent to the recipient only]" in page


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--interval", "soon"], "Invalid value for '--interval'"),
        (["--interval", "0"], "Invalid value for '--interval'"),
        (["--loops"], "No such option '--loops'"),
    ],
)
def test_deliver_command_refuses_bad_options_clearly(app, args, expected):
    result = app.test_cli_runner().invoke(args=["outbox", "deliver", *args])
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output


def test_deliver_command_without_smtp_says_what_to_set(app):
    app.config["MAIL_SMTP_HOST"] = None
    result = app.test_cli_runner().invoke(args=["outbox", "deliver"])
    assert result.exit_code == 1
    assert "no SMTP server configured: set PORTAL_MAIL_SMTP_HOST" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_deliver_loop_delivers_then_stops_cleanly_on_sigterm(tmp_path):
    url = f"sqlite:///{tmp_path / 'loop.sqlite3'}"
    engine = make_engine(url)
    reset_schema(engine)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(OutboxMessage).values(
                recipient="li@example.com",
                subject="S",
                body="B",
                status=OutboxStatus.PENDING,
                attempts=0,
                created_at=utcnow(),
                next_attempt_at=utcnow(),
            )
        )
    with running_smtp_server() as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
        env |= {
            "PORTAL_ENV": "testing",
            "PORTAL_DATABASE_URL": url,
            "PORTAL_INSTANCE_PATH": str(tmp_path / "instance"),
            "PORTAL_MAIL_SMTP_HOST": "127.0.0.1",
            "PORTAL_MAIL_SMTP_PORT": str(server.port),
        }
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "portal",
                "outbox",
                "deliver",
                "--loop",
                "--interval",
                "0.2",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 30
            while not server.handler.received and time.monotonic() < deadline:
                time.sleep(0.1)
            assert [r.rcpt_tos for r in server.handler.received] == [["li@example.com"]]
            worker.send_signal(signal.SIGTERM)
            out, err = worker.communicate(timeout=20)
        finally:
            if worker.poll() is None:
                worker.kill()
    assert worker.returncode == 0, err
    assert "1 sent, 0 to retry, 0 failed" in out
    assert out.strip().endswith("stopped")
    assert "Traceback" not in err
    with engine.connect() as conn:
        assert conn.scalar(sa.select(OutboxMessage.status)) == OutboxStatus.SENT
    engine.dispose()


def test_deliver_command_on_a_database_without_the_schema_says_so(tmp_path, smtp_server):
    from portal import create_app
    from tests.conftest import make_test_config

    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    app = create_app(make_test_config(url, tmp_path / "instance", **smtp_server.config()))
    result = app.test_cli_runner().invoke(args=["outbox", "deliver"])
    assert result.exit_code == 1
    assert "database error, nothing more delivered (OperationalError: no such table" in (
        result.output
    )
    assert "flask db upgrade" in result.output
    assert "Traceback" not in result.output
    app.extensions["portal.db"]["engine"].dispose()


def test_an_unknown_delivery_mode_stops_the_start_with_the_choices(tmp_path):
    from portal import create_app
    from tests.conftest import make_test_config

    config = make_test_config("sqlite://", tmp_path / "instance", MAIL_DELIVERY="cron")
    with pytest.raises(RuntimeError, match="MAIL_DELIVERY must be one of after_commit, worker"):
        create_app(config)
