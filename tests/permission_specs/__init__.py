"""Expected outcome of every route for every role; one module per domain, each with SPECS.

A spec names the endpoint, the method, how to build its URL for the user in question, and the
outcome for each role: 'ok' (allowed: any answer but a refusal), 'login' (sent to log in),
'forbidden' (403) or 'hidden' (404: the caller may not even learn the record exists).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "enterprise", "channel_reviewer", "office", "organizer", "expert", "admin")


@dataclass(frozen=True)
class Spec:
    endpoint: str
    expected: dict[str, str]
    method: str = "GET"
    # url(user) -> path; user is None for anonymous. Builds whatever rows the route needs.
    url: Callable | None = None
    data: dict = field(default_factory=dict)
    # Extra routes (same endpoint, different methods) can be told apart by name.
    name: str = ""

    def __post_init__(self):
        missing = set(ROLES) - set(self.expected)
        assert not missing, f"{self.endpoint}: no expected outcome for {sorted(missing)}"


def everyone(outcome: str = "ok") -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


def only(*roles: str, others: str = "forbidden", anonymous: str = "login") -> dict[str, str]:
    """Allowed to the named roles; others refused; anonymous sent to log in."""
    expected = {role: ("ok" if role in roles else others) for role in ROLES}
    expected["anonymous"] = "ok" if "anonymous" in roles else anonymous
    return expected


def logged_in() -> dict[str, str]:
    return only(*ROLES[1:])
