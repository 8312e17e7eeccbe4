"""Refusals of re-evaluation operations ('reevaluation.*') and what each says to the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.refusals import DomainError, register


class ReevaluationError(DomainError):
    """A refused re-evaluation operation (see MESSAGES)."""

    namespace = "reevaluation"


MESSAGES = {
    "not_allowed": _l("You may not do this."),
    "wrong_state": _l("This re-evaluation is not at a step where this can be done."),
    "reason_required": _l("Give your opinion or reason."),
    "stale": _l(
        "Someone changed this re-evaluation after you opened it. Nothing was saved; the page "
        "now shows where it stands."
    ),
    "no_holders": _l("No current title is in its third year without a re-evaluation."),
    "deadline_past": _l("The reporting date must be today or later."),
    "deadline_after_expiry": _l(
        "The reporting date must come before the first of these titles expires (%(day)s)."
    ),
    "report_closed": _l(
        "The reports were due by the end of %(day)s (Beijing time); the report can no longer "
        "be submitted."
    ),
    "report_still_open": _l(
        "The unit may still report until the end of %(day)s (Beijing time); the title can be "
        "let lapse unreported only after that."
    ),
    "report_incomplete": _l("Fill in what changed, the recent surveys and the three figures."),
    "expired": _l("This title expired on %(day)s; it can no longer be renewed."),
    "revoked": _l("This title has been revoked."),
    "not_an_organizer": _l("Only an approver of one of the four organizers can decide."),
    "already_voted": _l("Your organization has already answered on this title."),
    "renewals_missing": _l("Not all four organizers have agreed to renew the title yet."),
}
register(ReevaluationError.namespace, MESSAGES)
