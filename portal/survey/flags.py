"""Integrity flags of an answer, each with its evidence, decided when the answer arrives.

A flagged answer is kept and counted; the reviewers read the flags and decide. The thresholds
are the patterns a stuffed survey leaves: a burst of answers in a few minutes, answers outside
the window's opening hours, many from one address, faster than the questions can be read, one
pattern of scores over and over, and answers from a network the enterprise itself works from.
"""

from __future__ import annotations

import ipaddress
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


def _count(session: Session, survey: Survey, *where) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(SurveyAnswer)
            .where(SurveyAnswer.survey_id == survey.id, *where)
        )
        or 0
    )


def flags_for(
    session: Session,
    survey: Survey,
    *,
    address: str,
    pattern: str,
    seconds: int | None,
    now: datetime,
) -> list[dict]:
    """The flags of an answer about to be stored (the counts include it)."""
    found: list[dict] = []
    recent = _count(session, survey, SurveyAnswer.created_at > now - BURST_WINDOW) + 1
    if recent >= BURST_ANSWERS:
        found.append({"code": "burst", "evidence": {"answers": recent, "minutes": 10}})
    local = now.astimezone(SHANGHAI)
    minute = local.hour * 60 + local.minute
    if not survey.opens_minute <= minute < survey.closes_minute:
        found.append({"code": "out_of_hours", "evidence": {"time": local.strftime("%H:%M")}})
    if address:
        same = _count(session, survey, SurveyAnswer.address == address) + 1
        if same >= SAME_ADDRESS_ANSWERS:
            found.append(
                {"code": "same_address", "evidence": {"address": address, "answers": same}}
            )
    if seconds is not None and seconds < MIN_READ_SECONDS:
        found.append({"code": "too_fast", "evidence": {"seconds": seconds}})
    alike = (
        _count(
            session,
            survey,
            SurveyAnswer.pattern == pattern,
            SurveyAnswer.created_at > now - SAME_PATTERN_WINDOW,
        )
        + 1
    )
    if alike >= SAME_PATTERN_ANSWERS:
        found.append({"code": "same_pattern", "evidence": {"pattern": pattern, "answers": alike}})
    network = network_of(address) if address else ""
    if network and session.scalar(
        sa.select(LoginNetwork.network).where(
            LoginNetwork.organization_id == survey.application.organization_id,
            LoginNetwork.network == network,
        )
    ):
        found.append({"code": "enterprise_network", "evidence": {"network": network}})
    return found


def describe(flag: dict) -> str:
    """The flag's name and its evidence, as a reviewer reads it."""
    evidence = ", ".join(f"{k}: {v}" for k, v in (flag.get("evidence") or {}).items())
    return f"{LABELS.get(flag.get('code', ''), flag.get('code', ''))} ({evidence})"
