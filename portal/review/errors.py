"""Refusals of the channel review chain and the formal check ('review.*'), and their words.

ReviewError is an ApplicationError: the pages and the API that act on a packet catch both."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.applications.errors import ApplicationError
from portal.limits import REASON_CHARS
from portal.refusals import register


class ReviewError(ApplicationError):
    """A refused review decision (see MESSAGES)."""

    namespace = "review"


MESSAGES = {
    "recommendation_closed": _l(
        "Channel review closed at %(when)s (Beijing time); no more decisions can be made."
    ),
    "wrong_stage": _l("This application is not at your organization's review stage."),
    "not_routed": _l("At this stage the application is reviewed by another channel organization."),
    "stage_decided": _l("Your stage has already decided on this version of the application."),
    "not_last_stage": _l("The application still has channel review stages to pass."),
    "ranking_closed": _l(
        "%(organization)s has already submitted its recommendation in this category, so "
        "a forwarded application could no longer be ranked. Decide not to recommend it, "
        "giving the reason, or ask the programme office."
    ),
    "opinion_required": _l("Give the reason; the enterprise will read it."),
    "opinion_too_long": _l("Give the opinion in at most %(n)s characters.", n=REASON_CHARS),
    "not_at_formal_check": _l("Only a recommended application can be given the formal check."),
    "completion_empty": _l(
        "Tick what is missing or describe it: the enterprise must learn everything at once."
    ),
    "completion_due_invalid": _l(
        "Give the date by which the completed application is due; it cannot be a day "
        "already over (Beijing time)."
    ),
    "completion_overdue": _l(
        "The completed application was due by %(when)s (Beijing time); it can no longer be "
        "resubmitted."
    ),
    "completion_pending": _l(
        "The enterprise has until %(when)s (Beijing time) to complete the application; it "
        "can be rejected only after that."
    ),
    "decision_stale": _l(
        "Someone decided on this application after you opened it. Your decision was "
        "not saved; the page now shows where the application stands."
    ),
}
register(ReviewError.namespace, MESSAGES)
