"""Survey operations: the office's settings, opening a packet's survey, and noting the networks
the enterprise works from (the public answer path is portal/survey/answering.py)."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.applications.models import Application
from portal.campaigns.models import Campaign
from portal.clock import utcnow
from portal.db import session_of
from portal.survey import batches, flags, rules
from portal.survey.errors import SurveyError
from portal.survey.models import LoginNetwork, Survey, SurveySettings
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
