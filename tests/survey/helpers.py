"""Builders for survey tests: a campaign with its survey, an opened survey, answers sent as a
customer's phone sends them."""

from __future__ import annotations

import itertools
import time

from portal.applications.models import Application
from portal.db import get_session
from portal.notice.forms import form_started_token
from portal.survey import service
from portal.survey.models import Survey
from portal.survey.questions import DEFAULT_QUESTIONS
from tests.applications.helpers import make_complete

_addresses = itertools.count(1)
ALL_DAY = (0, 24 * 60)


def with_settings(application: Application, **values):
    """The packet's campaign gets its online survey (defaults unless told)."""
    session = get_session()
    settings = service.settings_of(session, application.campaign_id)
    if settings is None:
        settings = service.new_settings(application.campaign)
        session.add(settings)
    for name, value in values.items():
        setattr(settings, name, value)
    session.flush()
    return settings


def opened(application: Application | None = None, hours=ALL_DAY, **settings) -> Survey:
    """A complete draft (unless given) whose survey is open, all day unless told."""
    application = application or make_complete()
    with_settings(application, **settings)
    return service.open_survey(
        get_session(),
        application,
        application.created_by,
        opens_minute=hours[0],
        closes_minute=hours[1],
    )


def answer_data(score: int = 5, seconds_ago: int = 25, **extra) -> dict:
    data = {f"q_{q['key']}": str(score) for q in DEFAULT_QUESTIONS}
    data["recommend"] = "yes"
    data["started"] = form_started_token(time.time() - seconds_ago)
    data.update(extra)
    return data


def fresh_address() -> str:
    n = next(_addresses)
    return f"203.0.{n // 250}.{n % 250 + 1}"


def send(app, survey: Survey, data: dict | None = None, address: str | None = None, client=None):
    """One customer: a phone (its own client, so its own device cookie) opens the link and
    answers. Returns (client, response)."""
    client = client or app.test_client()
    environ = {"REMOTE_ADDR": address or fresh_address()}
    url = f"/s/{survey.token}"
    client.get(url, environ_base=environ)
    response = client.post(url, data=data or answer_data(), environ_base=environ)
    return client, response
