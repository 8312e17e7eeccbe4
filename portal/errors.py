"""Errors shared by the domain services."""

from __future__ import annotations

from collections.abc import Mapping


class Invalid(Exception):
    """Data that break one or more rules; `problems` maps a field name to its problem (a
    subclass may say which kind of problem: a key of its messages, or a message)."""

    def __init__(self, problems: Mapping[str, object]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems
