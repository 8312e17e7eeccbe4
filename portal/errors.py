"""Errors shared by the domain services."""

from __future__ import annotations


class Invalid(Exception):
    """Data that break one or more rules; `problems` maps a field name to its problem."""

    def __init__(self, problems: dict[str, object]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems
