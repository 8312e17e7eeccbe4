"""Refusals of application operations, each with a message key (see messages.py)."""

from __future__ import annotations


class ApplicationError(Exception):
    """A refusal with a message key the view translates (see messages.error_message)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


class InvalidData(ApplicationError):
    """Field problems, keyed by field name ('members-0-id_number' for table cells)."""

    def __init__(self, problems: dict[str, object]):
        super().__init__("invalid", count=len(problems))
        self.problems = problems


class Incomplete(ApplicationError):
    """Submission refused: everything that is missing, told at once (一次性告知)."""

    def __init__(self, missing: list[object]):
        super().__init__("incomplete", count=len(missing))
        self.missing = missing
