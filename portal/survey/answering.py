"""The public answer path behind /s/<token>: find the survey a link names and take one
customer's answer under the limits.

Anyone can reach it, so a rush (a queue at a busy window, a link shared in a group chat) must
not bring it down: each step is one SQL statement built once, on the tables rather than through
the ORM's unit of work (bench/survey_bench.py measures it). What an answer costs: the survey
with what the page shows of its packet; the flags' counts; the insert, once per device; both
rate-limit counts in one upsert; the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.applications.models import Application
from portal.campaigns.models import Campaign
from portal.clock import utcnow
from portal.notice import throttle
from portal.organizations.models import Organization
from portal.survey import flags
from portal.survey.errors import SurveyError
from portal.survey.models import Survey, SurveyAnswer, SurveySettings
from portal.survey.service import CONTACT_CHARS, SUGGESTION_CHARS

TOKEN_CHARS = 16  # Survey.token's column


@dataclass(frozen=True)
class Target:
    """What the answer page and the answer need of a survey, its packet and its settings."""

    facts: flags.Facts
    unit: str
    title: str
    questions: list[dict]
    opens_at: datetime | None
    closes_at: datetime  # the settings' end, else the campaign's application deadline
    address_limit_per_hour: int
    survey_limit_per_minute: int


def _target_query() -> sa.Select:
    survey, packet, settings = Survey.__table__, Application.__table__, SurveySettings.__table__
    unit, campaign = Organization.__table__, Campaign.__table__
    return (
        sa.select(
            survey.c.id,
            packet.c.organization_id,
            survey.c.opens_minute,
            survey.c.closes_minute,
            unit.c.name,
            packet.c.team_name,
            packet.c.person_name,
            settings.c.questions,
            settings.c.opens_at,
            settings.c.closes_at,
            campaign.c.application_deadline,
            settings.c.address_limit_per_hour,
            settings.c.survey_limit_per_minute,
        )
        .select_from(survey)
        .join(packet, packet.c.id == survey.c.application_id)
        .join(unit, unit.c.id == packet.c.organization_id)
        .join(campaign, campaign.c.id == packet.c.campaign_id)
        .join(settings, settings.c.campaign_id == packet.c.campaign_id)
        .where(survey.c.token == sa.bindparam("token"))
    )


TARGET = _target_query()


def answer_target(session: Session, token: str) -> Target | None:
    """The survey behind a link, with its packet's unit and title and its settings: one query."""
    if not token or len(token) > TOKEN_CHARS:
        return None
    row = session.execute(TARGET, {"token": token}).one_or_none()
    if row is None:
        return None
    (survey_id, organization_id, opens_minute, closes_minute, unit, team, person) = row[:7]
    questions, opens_at, closes_at, deadline, per_address, per_survey = row[7:]
    return Target(
        facts=flags.Facts(survey_id, organization_id, opens_minute, closes_minute),
        unit=unit,
        title=(team or person or "").strip(),  # as Application.title
        questions=questions,
        opens_at=opens_at,
        closes_at=closes_at or deadline,
        address_limit_per_hour=per_address,
        survey_limit_per_minute=per_survey,
    )


def window_refusal(target: Target, now: datetime) -> str | None:
    """'not_open_yet' or 'closed' when answers do not count now, else None."""
    if target.opens_at is not None and now < target.opens_at:
        return "not_open_yet"
    if now >= target.closes_at:
        return "closed"
    return None


@dataclass(frozen=True)
class Answer:
    """What a customer sent, checked by the form."""

    scores: dict[str, int]
    recommend: bool | None
    suggestion: str
    contact: str
    seconds: int | None


def _inserts() -> dict[str, sa.Insert]:
    """The answer's insert per dialect: nothing when the device has answered this survey."""
    table = SurveyAnswer.__table__
    return {
        name: dialect.insert(table)
        .on_conflict_do_nothing(index_elements=["survey_id", "device"])
        .returning(table.c.id)
        for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
    }


INSERTS = _inserts()


def count_limits(session: Session, target: Target, address: str, now: datetime) -> None:
    """Count the request against its address's and its survey's limits in one atomic upsert;
    refuse it when it is beyond either. Called last before the commit, so the survey's counter
    row is held locked only for that moment, and a refusal rolls the answer and both counts
    back."""
    survey_id = target.facts.survey_id
    hour, minute = timedelta(hours=1), timedelta(minutes=1)
    per_address = throttle.Limit("survey-address", target.address_limit_per_hour, hour)
    per_survey = throttle.Limit("survey", target.survey_limit_per_minute, minute)
    address_over, survey_over = throttle.over_each(
        session, [(per_address, f"{survey_id}:{address}"), (per_survey, str(survey_id))], now
    )
    if address_over:
        raise SurveyError("too_many_from_address")
    if survey_over:
        raise SurveyError("too_busy")


def submit_answer(
    session: Session, target: Target, answer: Answer, *, device: str, address: str, now=None
) -> int:
    """Take one customer's answer: in the window, once per device (the database's unique key
    decides between parallel requests), within the limits, flagged as its circumstances say.
    Returns the answer's id; the caller commits, or rolls back on a refusal (a refused answer
    leaves nothing: its row and its counts go together)."""
    now = now or utcnow()
    refusal = window_refusal(target, now)
    if refusal:
        raise SurveyError(refusal)
    if not device:
        raise SurveyError("no_device")
    pattern = "".join(str(answer.scores[q["key"]]) for q in target.questions)
    values = {
        "survey_id": target.facts.survey_id,
        "device": device,
        "created_at": now,
        "scores": answer.scores,
        "overall": answer.scores["overall"],
        "pattern": pattern,
        "recommend": answer.recommend,
        "suggestion": answer.suggestion[:SUGGESTION_CHARS],
        "contact": answer.contact[:CONTACT_CHARS],
        "address": address[:64],
        "seconds_taken": answer.seconds,
        "flags": flags.flags_for(
            session, target.facts, address=address, pattern=pattern, seconds=answer.seconds, now=now
        ),
    }
    stored = session.execute(INSERTS[session.get_bind().dialect.name], values).scalar()
    if stored is None:  # this device has answered, perhaps in a parallel request
        raise SurveyError("already_answered")
    count_limits(session, target, address, now)
    return stored


def answered(session: Session, target: Target, device: str) -> bool:
    answers = SurveyAnswer.__table__
    found = sa.select(answers.c.id).where(
        answers.c.survey_id == target.facts.survey_id, answers.c.device == device
    )
    return session.scalar(found) is not None
