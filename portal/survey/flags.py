"""Integrity flags of an answer, each with its evidence, decided when the answer arrives.

A flagged answer is kept and counted; the reviewers read the flags and decide. The thresholds
are the patterns a stuffed survey leaves: a burst of answers in a few minutes, answers outside
the window's opening hours, many from one address, faster than the questions can be read, one
pattern of scores over and over, and answers from a network the enterprise itself works from.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.clock import SHANGHAI
from portal.survey.models import LoginNetwork, Survey, SurveyAnswer

BURST_ANSWERS, BURST_WINDOW = 20, timedelta(minutes=10)
SAME_ADDRESS_ANSWERS = 5  # this answer and four before it from one address
MIN_READ_SECONDS = 8  # ten items cannot be read and tapped faster
SAME_PATTERN_ANSWERS, SAME_PATTERN_WINDOW = 10, timedelta(hours=1)

LABELS = {
    "burst": _l("Burst of answers"),
    "out_of_hours": _l("Outside opening hours"),
    "same_address": _l("Many answers from one address"),
    "too_fast": _l("Answered too fast to read"),
    "same_pattern": _l("Identical answer pattern"),
    "enterprise_network": _l("From the enterprise's own network"),
}


def network_of(address: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) holding an address; the address itself when unreadable."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


@dataclass(frozen=True)
class Facts:
    """What the flags need to know of a survey, read before the answer's first commit."""

    survey_id: int
    organization_id: int
    opens_minute: int
    closes_minute: int

    @classmethod
    def of(cls, survey: Survey) -> Facts:
        return cls(
            survey.id,
            survey.application.organization_id,
            survey.opens_minute,
            survey.closes_minute,
        )


def _counts_query() -> sa.Select:
    """Answers of a survey in the burst window, from an address, and of a pattern lately, and
    whether the address is in a network the enterprise works from: one statement, built once.
    Each count reads only its own rows through an index (the survey's answers by time, by
    address), not every answer the survey has had."""
    answers, networks = SurveyAnswer.__table__, LoginNetwork.__table__
    since = answers.c.created_at.type

    def count(*conditions) -> sa.Select:
        found = sa.select(sa.func.count()).select_from(answers)
        return found.where(answers.c.survey_id == sa.bindparam("survey_id"), *conditions)

    from_enterprise = sa.select(networks.c.network).where(
        networks.c.organization_id == sa.bindparam("organization_id"),
        networks.c.network == sa.bindparam("network"),
    )
    return sa.select(
        count(answers.c.created_at > sa.bindparam("burst_since", type_=since)).scalar_subquery(),
        count(answers.c.address == sa.bindparam("address")).scalar_subquery(),
        count(
            answers.c.created_at > sa.bindparam("pattern_since", type_=since),
            answers.c.pattern == sa.bindparam("pattern"),
        ).scalar_subquery(),
        from_enterprise.exists(),
    )


COUNTS = _counts_query()


def _counts(session: Session, facts: Facts, address: str, pattern: str, now: datetime):
    return session.execute(
        COUNTS,
        {
            "survey_id": facts.survey_id,
            "burst_since": now - BURST_WINDOW,
            "address": address,
            "pattern": pattern,
            "pattern_since": now - SAME_PATTERN_WINDOW,
            "organization_id": facts.organization_id,
            "network": network_of(address) if address else "",
        },
    ).one()


def flags_for(
    session: Session,
    facts: Facts,
    *,
    address: str,
    pattern: str,
    seconds: int | None,
    now: datetime,
) -> list[dict]:
    """The flags of an answer about to be stored (the counts include it)."""
    recent, same, alike, from_enterprise = _counts(session, facts, address, pattern, now)
    found: list[dict] = []
    if recent + 1 >= BURST_ANSWERS:
        found.append({"code": "burst", "evidence": {"answers": recent + 1, "minutes": 10}})
    local = now.astimezone(SHANGHAI)
    minute = local.hour * 60 + local.minute
    if not facts.opens_minute <= minute < facts.closes_minute:
        found.append({"code": "out_of_hours", "evidence": {"time": local.strftime("%H:%M")}})
    if address and same + 1 >= SAME_ADDRESS_ANSWERS:
        found.append(
            {"code": "same_address", "evidence": {"address": address, "answers": same + 1}}
        )
    if seconds is not None and seconds < MIN_READ_SECONDS:
        found.append({"code": "too_fast", "evidence": {"seconds": seconds}})
    if alike + 1 >= SAME_PATTERN_ANSWERS:
        found.append(
            {"code": "same_pattern", "evidence": {"pattern": pattern, "answers": alike + 1}}
        )
    if address and from_enterprise:
        found.append({"code": "enterprise_network", "evidence": {"network": network_of(address)}})
    return found


def describe(flag: dict) -> str:
    """The flag's name and its evidence, as a reviewer reads it."""
    evidence = ", ".join(f"{k}: {v}" for k, v in (flag.get("evidence") or {}).items())
    return f"{LABELS.get(flag.get('code', ''), flag.get('code', ''))} ({evidence})"
