"""A real SMTP server (aiosmtpd) on a loopback port, recording what it accepts.

It can refuse: answer a queue of 4xx replies to DATA first, or hold every DATA until released
(a slow mail server). Stopped, its port refuses connections.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class RecordingHandler:
    received: list[Received] = field(default_factory=list)
    # Replies given to the next DATA commands instead of accepting, e.g. "451 try later".
    refusals: list[str] = field(default_factory=list)
    # While set to an unset Event, every DATA waits for it (a stalled server).
    hold: threading.Event | None = None
    holding: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refusals:
            return self.refusals.pop(0)
        if self.hold is not None:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.hold.wait, 60)
        # Stored with the wire's CRLF line ends turned back into newlines.
        content = envelope.original_content.replace(b"\r\n", b"\n")
        parsed = message_from_bytes(content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK queued"

    def bodies_to(self, recipient: str) -> list[str]:
        return [r.message.get_content() for r in self.received if recipient in r.rcpt_tos]


class SMTPServer:
    """aiosmtpd's Controller on 127.0.0.1:port; start() and stop() may be repeated."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            if self.handler.hold is not None:
                self.handler.hold.set()
            self._controller.stop()
            self._controller = None

    def config(self) -> dict:
        return {
            "MAIL_SMTP_HOST": "127.0.0.1",
            "MAIL_SMTP_PORT": self.port,
            "MAIL_SENDER": "service-star@portal.test",
        }


@contextmanager
def running_smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
