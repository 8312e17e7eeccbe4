"""Outgoing mail: kept in the outbox always, delivered to a real SMTP server when configured."""

from __future__ import annotations

import socket
import socketserver
import threading
from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.mail import OutboxMessage, send_mail
from tests.accounts.helpers import english, reset_path
from tests.factories import make_user


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib to hand over one message per transaction."""

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self._reply("220 test-smtp ready")
        envelope: dict = {"rcpt": []}
        while line := self.rfile.readline():
            verb = line.decode().strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 test-smtp")
            elif verb == "MAIL":
                envelope = {"from": line.decode().split(":", 1)[1].strip(), "rcpt": []}
                self._reply("250 OK")
            elif verb == "RCPT":
                envelope["rcpt"].append(line.decode().split(":", 1)[1].strip())
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 end with <CRLF>.<CRLF>")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                # Store with the wire's CRLF line ends turned back into newlines.
                self.server.received.append((envelope, data.replace(b"\r\n", b"\n")))
                self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("250 OK")


class _SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.received: list[tuple[dict, bytes]] = []


@pytest.fixture
def smtp_server():
    server = _SMTPServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def app_config(app_config, smtp_server):
    return {
        **app_config,
        "MAIL_SMTP_HOST": "127.0.0.1",
        "MAIL_SMTP_PORT": smtp_server.server_address[1],
        "MAIL_SENDER": "service-star@portal.test",
    }


def test_message_arrives_at_the_smtp_server_and_is_marked_delivered(session, smtp_server):
    message = send_mail(session, "li@example.com", "Subject 主题", "Body 正文\nline two")
    assert message.delivered_at is not None
    assert message.error is None
    assert len(smtp_server.received) == 1
    envelope, data = smtp_server.received[0]
    assert envelope == {"from": "<service-star@portal.test>", "rcpt": ["<li@example.com>"]}
    parsed = message_from_bytes(data, policy=policy.default)
    assert parsed["To"] == "li@example.com"
    assert parsed["From"] == "service-star@portal.test"
    assert parsed["Subject"] == "Subject 主题"
    assert parsed.get_content() == "Body 正文\nline two\n"


def test_password_reset_mail_travels_by_smtp_with_its_link(client, session, smtp_server):
    user = make_user(Role.ENTERPRISE)
    english(client)
    client.post("/password/forgot", data={"email": user.email})
    stored = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == user.email))
    assert stored.delivered_at is not None
    parsed = message_from_bytes(smtp_server.received[0][1], policy=policy.default)
    assert client.get(reset_path(parsed.get_content())).status_code == 200
    # Delivered: the outbox keeps no copy of the link.
    assert "/password/reset/" not in stored.body
    assert stored.sealed_body is None


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_smtp_keeps_the_message_with_its_error(app, session):
    app.config["MAIL_SMTP_PORT"] = _closed_port()
    message = send_mail(session, "li@example.com", "S", "B")
    assert message.delivered_at is None
    assert message.error.startswith("ConnectionRefusedError")
    assert session.get(OutboxMessage, message.id).body == "B"
