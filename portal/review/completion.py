"""The formal check's return for completion (退回补正): the programme office lists everything a
recommended packet lacks at once (一次性告知: checklist items and its own words) with a due
date; the enterprise completes and resubmits, and the packet comes back to the formal check,
not to the start of the channel chain (as a channel return comes back to the stage that
returned it). Past the due date the enterprise can no longer resubmit and the office rejects
the packet, giving the reason. Callers commit; the enterprise is mailed in the transaction.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from portal.applications.errors import ApplicationError
from portal.applications.models import Application, ApplicationState
from portal.applications.service import load_for_update
from portal.applications.workflow import fire
from portal.clock import SHANGHAI
from portal.db import utcnow
from portal.limits import REASON_CHARS
from portal.review import chain
from portal.review.errors import ReviewError
from portal.review.models import MISSING_ITEMS, Decision, StageDecision, item_labels
from portal.review.notify import tell_enterprise
from portal.roles import Role

# Days the form proposes as the due date; the office may choose another.
DEFAULT_DAYS = 7


def due_instant(day: date) -> datetime:
    """The end of the given Beijing day: the completed packet is due before its midnight."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=SHANGHAI)


def default_due_day(now: datetime | None = None) -> date:
    return ((now or utcnow()).astimezone(SHANGHAI) + timedelta(days=DEFAULT_DAYS)).date()


def open_request(session: Session, app: Application) -> StageDecision | None:
    """The return for completion the packet is answering, while it is returned for completion."""
    if app.state is not ApplicationState.INCOMPLETE:
        return None
    return session.scalar(
        sa.select(StageDecision)
        .where(
            StageDecision.application_id == app.id,
            StageDecision.decision == Decision.COMPLETION,
        )
        .order_by(StageDecision.id.desc())
        .limit(1)
    )


def is_overdue(session: Session, app: Application, now: datetime | None = None) -> bool:
    request = open_request(session, app)
    return request is not None and _past_due(request, now or utcnow())


def _past_due(request: StageDecision, now: datetime) -> bool:
    """Whether a return for completion is overdue (a CHECK gives every one its due date)."""
    return request.due_at is not None and now >= request.due_at


def _notice_text(keys: list[str], note: str) -> str:
    """The whole notice in one text, for the audit trail's reason."""
    lines = [f"{n}. {text}" for n, text in enumerate(item_labels(keys), start=1)]
    if note:
        lines.append(note)
    return "\n".join(lines)


def request_completion(
    session: Session,
    application_id: int,
    actor,
    items: list[str],
    note: str,
    due_on: date | None,
    *,
    lock_version: int | None = None,
    now: datetime | None = None,
) -> StageDecision:
    """Return a recommended packet for completion with everything missing and a due date.

    Raises ApplicationError: 'not_allowed', 'not_at_formal_check', 'decision_stale',
    'completion_empty' (no item and no text), 'opinion_too_long', 'completion_due_invalid'
    (no date, or a day already over in Beijing).
    """
    now = now or utcnow()
    app = load_for_update(session, application_id)
    if getattr(actor, "role", None) is not Role.OFFICE:
        raise ApplicationError("not_allowed")
    if lock_version is not None and lock_version != app.lock_version:
        raise ReviewError("decision_stale")
    if app.state is not ApplicationState.RECOMMENDED:
        raise ReviewError("not_at_formal_check")
    keys = [k for k in dict.fromkeys(items or []) if k in MISSING_ITEMS]
    note = (note or "").strip()
    if not keys and not note:
        raise ReviewError("completion_empty")
    if len(note) > REASON_CHARS:
        raise ReviewError("opinion_too_long")
    if due_on is None or due_instant(due_on) <= now:
        raise ReviewError("completion_due_invalid")
    due_at = due_instant(due_on)
    extra = {"decision": Decision.COMPLETION.value, "items": keys, "due_at": due_at}
    reason = _notice_text(keys, note)
    fire(session, app, ApplicationState.INCOMPLETE, actor, reason=reason, extra=extra, now=now)
    record = StageDecision(
        application=app,
        version_number=chain.current_version_number(app),
        stage=chain.office_stage(app.campaign),
        organization=getattr(actor, "organization", None),
        reviewer=actor,
        decision=Decision.COMPLETION,
        opinion=note,
        missing_items=keys,
        due_at=due_at,
        decided_at=now,
    )
    session.add(record)
    app.updated_at = now
    version = app.latest_version
    if version is not None:
        version.returned_at = now
        version.return_reason = _notice_text(keys, note)
    try:
        session.flush()
    except StaleDataError as err:
        raise ReviewError("decision_stale") from err
    tell_enterprise(session, app, record)
    return record


def reject_overdue(
    session: Session, application_id: int, actor, reason: str, *, now: datetime | None = None
) -> Application:
    """Past the due date, the office rejects a packet that was not completed, with a reason
    (the workflow mails it to the enterprise)."""
    now = now or utcnow()
    app = load_for_update(session, application_id)
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("opinion_required")
    if len(reason) > REASON_CHARS:
        raise ReviewError("opinion_too_long")
    fire(
        session,
        app,
        ApplicationState.REJECTED,
        actor,
        reason=reason,
        extra={"overdue": True},
        now=now,
    )
    app.updated_at = now
    session.flush()
    return app


def awaiting_completion(
    session: Session, campaign, now: datetime | None = None
) -> list[tuple[Application, StageDecision, bool]]:
    """The campaign's packets returned for completion, each with its open request and whether
    it is overdue, soonest due first: what the formal-check page lists."""
    now = now or utcnow()
    latest = (
        sa.select(sa.func.max(StageDecision.id))
        .where(StageDecision.decision == Decision.COMPLETION)
        .group_by(StageDecision.application_id)
    )
    rows = session.execute(
        sa.select(Application, StageDecision)
        .join(StageDecision, StageDecision.application_id == Application.id)
        .where(
            Application.campaign_id == campaign.id,
            Application.state == ApplicationState.INCOMPLETE,
            StageDecision.id.in_(latest),
        )
        .order_by(StageDecision.due_at, Application.id)
        .options(joinedload(Application.organization, innerjoin=True))
    ).all()
    return [(app, request, _past_due(request, now)) for app, request in rows]
