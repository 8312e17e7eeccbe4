"""Mail to the enterprise when a stage decides on its packet."""

from __future__ import annotations

from flask import has_request_context, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.applications.models import Application
from portal.applications.outcome import recipients
from portal.i18n import localized_name
from portal.mail import send_mail
from portal.review.models import Decision, StageDecision, item_labels


def _subject(decision: Decision, title: str) -> str:
    return {
        Decision.FORWARD: _("Your application “%(title)s” was forwarded", title=title),
        Decision.RETURN: _("Your application “%(title)s” was returned for revision", title=title),
        Decision.NOT_RECOMMEND: _("Your application “%(title)s” was not recommended", title=title),
        Decision.ACCEPT: _(
            "Your application “%(title)s” passed the programme office's formal check",
            title=title,
        ),
        Decision.REJECT: _(
            "Your application “%(title)s” did not pass the programme office's formal check",
            title=title,
        ),
        Decision.COMPLETION: _(
            "Your application “%(title)s” was returned for completion", title=title
        ),
    }[decision]


def _completion_lines(record: StageDecision) -> list[str]:
    """Everything missing, at once, and the due date (Beijing time)."""
    lines = []
    if record.missing_items:
        lines.append(_("The programme office found the following missing:"))
        lines += [f"{n}. {text}" for n, text in enumerate(item_labels(record.missing_items), 1)]
    lines.append(
        _(
            "Complete the application and resubmit it before %(when)s (Beijing time); it then "
            "returns to the formal check. After that time it can no longer be resubmitted.",
            when=format_datetime(record.due_at, "yyyy-MM-dd HH:mm"),
        )
    )
    return lines


def message(app: Application, record: StageDecision) -> tuple[str, str]:
    """Subject and body of the mail about one decision."""
    title = app.title or _("application %(id)s", id=app.id)
    stage = localized_name(record.stage) if record.stage is not None else _("Programme office")
    who = record.organization.name if record.organization is not None else ""
    lines = [
        _(
            "%(stage)s (%(who)s) decided on version %(n)s of your application.",
            stage=stage,
            who=who,
            n=record.version_number,
        )
    ]
    if record.decision is Decision.COMPLETION:
        lines += _completion_lines(record)
    if record.opinion:
        lines.append(_("Opinion: %(text)s", text=record.opinion))
    if record.decision is Decision.RETURN:
        lines.append(_("Please revise the application and submit it again before the deadline."))
    if has_request_context():
        lines.append(url_for("applications.show", app_id=app.id, _external=True))
    return _subject(record.decision, title), "\n\n".join(lines)


def tell_enterprise(session: Session, app: Application, record: StageDecision) -> None:
    subject, body = message(app, record)
    for address in recipients(app):
        send_mail(session, address, subject, body)
