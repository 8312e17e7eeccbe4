"""Demo survey results: the 2026 campaign's online survey, and believable answers for its
submitted packets, spread over the last weeks in opening hours, with one stuffed burst; and
one packet's scanned paper batch, counted by whoever decides on the packet."""

from __future__ import annotations

import io
import random
import secrets
from collections.abc import Sequence
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.applications.files import allowed_kinds
from portal.applications.models import Application, ApplicationFile, ApplicationState, FileCategory
from portal.campaigns.models import Campaign
from portal.clock import SHANGHAI, utcnow
from portal.files.service import store_upload
from portal.roles import Role
from portal.survey import batches, flags, rules, service
from portal.survey.models import Survey, SurveyAnswer, SurveySettings

PACKETS = 12  # the first submitted packets of the campaign get answers
SUGGESTIONS = (
    "希望增加周末服务时间。",
    "工作人员很耐心，讲解清楚。",
    "等候区座位可以再多一些。",
    "办理速度很快，点赞！",
    "建议在网上公布排队情况。",
    "态度热情，解决问题很及时。",
)
# Mostly satisfied customers, as real service windows see them: the share of 5, 4, 3, 2.
WEIGHTS = {5: 62, 4: 28, 3: 8, 2: 2}


def seed_survey_demo(session: Session, campaign: Campaign | None) -> int:
    """Open the campaign's survey and answer it for its submitted packets; the answers made."""
    if campaign is None or service.settings_of(session, campaign.id) is not None:
        return 0
    settings = service.new_settings(campaign)
    # A transition year: a scanned paper batch still stands in for the minimum.
    settings.paper_batch_answers = 30
    session.add(settings)
    packets = session.scalars(
        sa.select(Application)
        .where(
            Application.campaign_id == campaign.id,
            Application.state != ApplicationState.DRAFT,
        )
        .order_by(Application.id)
        .limit(PACKETS)
    ).all()
    rng = random.Random(2026)
    made = 0
    for n, application in enumerate(packets):
        survey = Survey(application=application, token=secrets.token_urlsafe(service.TOKEN_BYTES))
        session.add(survey)
        session.flush()
        made += _answer(session, survey, settings.questions, rng, burst=n == 1)
    _count_a_batch(session, settings, packets)
    return made


# A one-page scan of paper surveys, as the unit uploaded it in the survey slot.
SCAN = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COUNTED = 26  # the filled-in surveys the reviewer found in the batch


def _count_a_batch(
    session: Session, settings: SurveySettings, packets: Sequence[Application]
) -> None:
    """The first packet someone may decide on now gets a scanned batch, counted by them."""
    deciders = session.scalars(
        sa.select(User).where(User.role.in_([Role.CHANNEL_REVIEWER, Role.OFFICE])).order_by(User.id)
    ).all()
    for application in packets:
        counter = next((u for u in deciders if rules.can_count_batches(u, application)), None)
        if counter is None:
            continue
        stored = store_upload(
            session,
            io.BytesIO(SCAN),
            filename="顾客评价调查表（纸质）.pdf",
            allowed_kinds=set(allowed_kinds(application.campaign, FileCategory.SURVEY)),
            max_bytes=len(SCAN),
            actor=application.created_by,
            prefix=f"applications/{application.id}",
        )
        scan = ApplicationFile(
            application=application, stored_file=stored, category=FileCategory.SURVEY
        )
        session.add(scan)
        if application.latest_version is not None:
            application.latest_version.stored_files.append(stored)
        session.flush()
        batches.record_count(session, settings, application, scan.id, COUNTED, counter)
        return


def _answer(
    session: Session, survey: Survey, questions: list[dict], rng: random.Random, *, burst: bool
) -> int:
    """Answers from 30 to 45 customers (individuals: 20 to 32), in opening hours."""
    team = survey.application.team_name is not None
    count = rng.randint(30, 45) if team else rng.randint(20, 32)
    today = utcnow().astimezone(SHANGHAI).date()
    times = sorted(
        datetime.combine(
            today - timedelta(days=rng.randint(1, 20)),
            time(rng.randint(9, 16), rng.randint(0, 59), rng.randint(0, 59)),
            SHANGHAI,
        )
        for _ in range(count)
    )
    if burst:  # a staff member filling forms at lunch: 20 alike answers in ten minutes
        start = times[-1] + timedelta(hours=1)
        times += [start + timedelta(seconds=25 * i) for i in range(20)]
    for i, at in enumerate(times):
        stuffed = burst and i >= count
        _add(session, survey, questions, rng, at, i, stuffed)
    return len(times)


def _add(session, survey, questions, rng, at: datetime, i: int, stuffed: bool) -> None:
    scores = {
        q["key"]: 5 if stuffed else rng.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
        for q in questions
    }
    pattern = "".join(str(scores[q["key"]]) for q in questions)
    address = (
        "112.65.30.7"
        if stuffed
        else f"117.{rng.randint(128, 143)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    )
    seconds = rng.randint(4, 7) if stuffed else rng.randint(14, 60)
    now = at.astimezone(SHANGHAI)
    row = SurveyAnswer(
        survey_id=survey.id,
        device=f"demo-{survey.id}-{i}",
        created_at=now,
        scores=scores,
        overall=scores["overall"],
        pattern=pattern,
        recommend=scores["overall"] >= 4 or rng.random() < 0.3,
        suggestion=rng.choice(SUGGESTIONS) if rng.random() < 0.25 else "",
        address=address,
        seconds_taken=seconds,
        flags=flags.flags_for(
            session,
            flags.Facts.of(survey),
            address=address,
            pattern=pattern,
            seconds=seconds,
            now=now,
        ),
    )
    session.add(row)
    session.flush()
