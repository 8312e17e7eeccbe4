"""Survey operations: the office's settings, opening a packet's survey, taking an answer under
the limits, and the figures everyone who may read the packet sees."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, contains_eager

from portal import audit
from portal.applications.models import Application
from portal.campaigns.models import Campaign
from portal.clock import utcnow
from portal.db import session_of
from portal.notice import throttle
from portal.survey import batches, flags, rules
from portal.survey.errors import SurveyError
from portal.survey.models import LoginNetwork, Survey, SurveyAnswer, SurveySettings
from portal.survey.questions import default_questions

TOKEN_BYTES = 9  # 12 characters in the link, 72 random bits: short, and never guessed
SUGGESTION_CHARS, CONTACT_CHARS = 500, 100


def settings_of(session: Session, campaign_id: int) -> SurveySettings | None:
    """The campaign's survey, or None while the office has not set one up."""
    return session.scalar(
        sa.select(SurveySettings).where(SurveySettings.campaign_id == campaign_id)
    )


def new_settings(campaign: Campaign) -> SurveySettings:
    """The settings the office starts from: attachment 6 and the programme's minimums."""
    return SurveySettings(
        campaign=campaign,
        questions=default_questions(),
        paper_batch_answers=0,
        address_limit_per_hour=20,
        survey_limit_per_minute=60,
    )


def save_settings(
    session: Session, campaign: Campaign, values: dict, actor, *, existing: SurveySettings | None
) -> SurveySettings:
    """Create or change the campaign's survey; the audit trail keeps before and after."""
    settings = existing or new_settings(campaign)
    before = audit.snapshot(settings) if existing else None
    for name, value in values.items():
        setattr(settings, name, value)
    session.add(settings)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="survey.settings",
        obj=settings,
        before=before,
        after=audit.snapshot(settings),
    )
    return settings


def survey_of(session: Session, application: Application) -> Survey | None:
    return session.scalar(sa.select(Survey).where(Survey.application_id == application.id))


def open_survey(
    session: Session, application: Application, actor, *, opens_minute: int, closes_minute: int
) -> Survey:
    """Open the packet's survey (or change its opening hours): the token is made once."""
    if not rules.can_open_survey(actor, application):
        raise SurveyError("not_allowed")
    if settings_of(session, application.campaign_id) is None:
        raise SurveyError("no_settings")
    if not 0 <= opens_minute < closes_minute <= 24 * 60:
        raise SurveyError("opening_hours")
    survey = survey_of(session, application)
    if survey is None:
        survey = Survey(application=application, token=secrets.token_urlsafe(TOKEN_BYTES))
        survey.created_by_id = actor.id
        session.add(survey)
    survey.opens_minute, survey.closes_minute = opens_minute, closes_minute
    session.flush()
    audit.record(
        session, actor=actor, action="survey.open", obj=survey, after=audit.snapshot(survey)
    )
    return survey


def closes_at(settings: SurveySettings, campaign: Campaign) -> datetime:
    return settings.closes_at or campaign.application_deadline


def window_refusal(settings: SurveySettings, campaign: Campaign, now: datetime) -> str | None:
    """'not_open_yet' or 'closed' when answers do not count now, else None."""
    if settings.opens_at is not None and now < settings.opens_at:
        return "not_open_yet"
    if now >= closes_at(settings, campaign):
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


def count_limits(
    session: Session, facts: flags.Facts, settings: SurveySettings, address: str, now: datetime
) -> None:
    """Count the request against its address's and its survey's limits, each with one atomic
    upsert; refuse it when it is beyond either. Called last before the commit, so the survey's
    counter row is held locked only for that moment, and a refusal rolls the answer back."""
    per_address = throttle.Limit(
        "survey-address", settings.address_limit_per_hour, timedelta(hours=1)
    )
    per_survey = throttle.Limit("survey", settings.survey_limit_per_minute, timedelta(minutes=1))
    if throttle.over(session, per_address, f"{facts.survey_id}:{address}", now):
        raise SurveyError("too_many_from_address")
    if throttle.over(session, per_survey, str(facts.survey_id), now):
        raise SurveyError("too_busy")


def answer_target(session: Session, token: str) -> tuple[Survey, SurveySettings] | None:
    """The survey behind a link with its packet, campaign and settings, in one query."""
    if not token or len(token) > 16:
        return None
    row = session.execute(
        sa.select(Survey, SurveySettings)
        .join(Survey.application)
        .join(SurveySettings, SurveySettings.campaign_id == Application.campaign_id)
        .options(contains_eager(Survey.application).joinedload(Application.campaign))
        .options(contains_eager(Survey.application).joinedload(Application.organization))
        .where(Survey.token == token)
    ).one_or_none()
    return (row[0], row[1]) if row is not None else None


def submit_answer(
    session: Session,
    survey: Survey,
    settings: SurveySettings,
    answer: Answer,
    *,
    device: str,
    address: str,
    now=None,
) -> int:
    """Take one customer's answer: in the window, once per device (the database's unique key
    decides between parallel requests), within the limits, flagged as its circumstances say.
    Returns the answer's id; the caller commits, or rolls back on a refusal (a refused answer
    leaves nothing: its row and its counts go together)."""
    now = now or utcnow()
    refusal = window_refusal(settings, survey.application.campaign, now)
    if refusal:
        raise SurveyError(refusal)
    if not device:
        raise SurveyError("no_device")
    facts = flags.Facts.of(survey)
    pattern = "".join(str(answer.scores[q["key"]]) for q in settings.questions)
    values = {
        "survey_id": facts.survey_id,
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
            session, facts, address=address, pattern=pattern, seconds=answer.seconds, now=now
        ),
    }
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stored = session.scalar(
        insert(SurveyAnswer)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["survey_id", "device"])
        .returning(SurveyAnswer.id)
    )
    if stored is None:  # this device has answered, perhaps in a parallel request
        raise SurveyError("already_answered")
    count_limits(session, facts, settings, address, now)
    return stored


def answered(session: Session, survey: Survey, device: str) -> bool:
    return (
        session.scalar(
            sa.select(SurveyAnswer.id).where(
                SurveyAnswer.survey_id == survey.id, SurveyAnswer.device == device
            )
        )
        is not None
    )


def note_enterprise_network(session: Session, organization_id: int, address: str, now=None) -> None:
    """Remember a network the enterprise's users work from, to flag answers sent from it."""
    if not address:
        return
    network = flags.network_of(address)
    row = session.get(LoginNetwork, (organization_id, network))
    if row is None:
        session.add(LoginNetwork(organization_id=organization_id, network=network))
    else:
        row.last_seen_at = now or utcnow()


def minimum_answers(settings: SurveySettings, application: Application) -> int:
    """Answers the packet needs online; its scanned paper batches, where the campaign allows
    them, stand in for some (portal/survey/batches.py: as the reviewers counted them)."""
    needed = application.category.min_surveys
    needed -= batches.paper_credit(session_of(application), settings, application)
    return max(needed, 0)
