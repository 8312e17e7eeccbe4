"""Helpers for the account tests: English pages, page text, links in mail."""

from __future__ import annotations

import html
import re

import sqlalchemy as sa

from portal.db import get_session

LINK_RE = re.compile(r"http://portal\.test(/password/reset/[\w.\-]+)")


def english(client) -> None:
    """Switch the client's pages to English so messages can be compared with their msgids."""
    client.get("/lang/en")


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def count(model) -> int:
    return get_session().scalar(sa.select(sa.func.count()).select_from(model))


def reset_path(body: str) -> str:
    match = LINK_RE.search(body)
    assert match, body
    return match.group(1)


def mailed_reset_path(session, recipient: str) -> str:
    """The reset path in the newest mail to recipient, as the recipient receives it.

    Reads the sealed body a mail worker delivers (or the full body where no secret is sealed):
    what reaches the recipient's mailbox, not what any page of the portal shows.
    """
    from portal.mail import OutboxMessage

    message = session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.recipient == recipient)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, recipient
    return reset_path(message.sealed_body or message.body)
