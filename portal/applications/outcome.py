"""Why a packet lost: every move that ends a packet against its unit (not recommended, rejected
at the formal check, not selected, disqualified) carries the decider's reason, which the unit
reads on its packet page and receives by mail.

The reason is the one the workflow wrote into the move's audit entry (portal/workflow.py), so
the page shows exactly the words recorded, and nothing is stored twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.applications.models import Application, ApplicationState
from portal.audit import AuditEntry
from portal.mail import send_mail

# The states in which a packet has lost, and the workflow moves that lead there.
NEGATIVE_STATES = (
    ApplicationState.NOT_RECOMMENDED,
    ApplicationState.REJECTED,
    ApplicationState.NOT_SELECTED,
    ApplicationState.DISQUALIFIED,
)
NEGATIVE_MOVES = (
    "application.not_recommend",
    "application.reject",
    "application.leave_unselected",
    "application.disqualify",
)


@dataclass(frozen=True)
class Outcome:
    state: ApplicationState
    reason: str
    decided_at: datetime


def latest_outcome(session: Session, app: Application) -> Outcome | None:
    """The reason of the move that put the packet in its losing state, or None."""
    if app.state not in NEGATIVE_STATES:
        return None
    entry = session.scalar(
        sa.select(AuditEntry)
        .where(
            AuditEntry.object_type == Application.__tablename__,
            AuditEntry.object_id == str(app.id),
            AuditEntry.action.in_(NEGATIVE_MOVES),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    if entry is None:
        return None
    return Outcome(app.state, entry.reason, entry.created_at)


def _subject(state: ApplicationState, title: str) -> str:
    return {
        ApplicationState.NOT_RECOMMENDED: _(
            "Your application “%(title)s” was not recommended", title=title
        ),
        ApplicationState.REJECTED: _(
            "Your application “%(title)s” did not pass the programme office's formal check",
            title=title,
        ),
        ApplicationState.NOT_SELECTED: _(
            "Your application “%(title)s” was not selected in the expert review", title=title
        ),
        ApplicationState.DISQUALIFIED: _(
            "Your application “%(title)s” was disqualified", title=title
        ),
    }[state]


def recipients(app: Application) -> list[str]:
    """The packet's creator and the unit's contact address, each once."""
    found: list[str] = []
    for address in (
        app.created_by.email if app.created_by else None,
        app.organization.contact_email,
    ):
        if address and address.strip().lower() not in {a.lower() for a in found}:
            found.append(address.strip())
    return found


def tell_unit(session: Session, app: Application, reason: str) -> None:
    """Mail the packet's creator and the unit's contact the losing decision and its reason."""
    title = app.title or _("application %(id)s", id=app.id)
    lines = [_("Reason: %(text)s", text=reason)]
    if has_request_context():
        lines.append(url_for("applications.show", app_id=app.id, _external=True))
    subject = _subject(app.state, title)
    for address in recipients(app):
        send_mail(session, address, subject, "\n\n".join(lines))
