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
