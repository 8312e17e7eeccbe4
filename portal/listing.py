"""What the rows of a list page repeat, computed once per page.

A list of 200 rows that calls url_for, gettext or label() in every row spends most of its
time there, on the same few answers. A view (or a template, outside its loop) asks here once:

    url = url_pattern("applications.show", "app_id")      # then url(row.id) in the loop
    states = labels_of(ApplicationState)                  # then states[row.state]
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from flask import url_for

from portal.labels import label

# A value no route ever sees, put in the URL's hole and cut out again (an int for <int:...>).
_HOLE = 7_219_431_085


class UrlPattern:
    """url_for(endpoint, **values) with one value left open: pattern(value) fills it."""

    __slots__ = ("head", "tail")

    def __init__(self, endpoint: str, hole: str, **values: Any) -> None:
        url = url_for(endpoint, **{**values, hole: _HOLE})
        self.head, found, self.tail = url.partition(str(_HOLE))
        if not found:
            raise ValueError(f"{endpoint}: {hole} does not appear in its URL")

    def __call__(self, value) -> str:
        return f"{self.head}{value}{self.tail}"


def url_pattern(endpoint: str, hole: str, **values: Any) -> UrlPattern:
    """The URL of `endpoint` built once, `hole` filled per row: url_pattern(...)(row.id)."""
    return UrlPattern(endpoint, hole, **values)


def labels_of(enum_cls: type[enum.Enum], members: Iterable[enum.Enum] | None = None) -> dict:
    """{member: label(member)} for the members given (every member by default), and None: ""
    as label(None) gives, so that a row looks its label up instead of translating it again."""
    found: dict = {None: ""}
    found.update((m, label(m)) for m in (enum_cls if members is None else members))
    return found
