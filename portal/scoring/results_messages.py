"""What each refusal of the candidate-list operations says, shared by pages and the API."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.limits import REASON_CHARS
from portal.scoring.ranking import TieBreak
from portal.scoring.results import ListStatus, ResultsError


def results_message(err: ResultsError) -> str:
    messages = {
        "not_found": _("This packet is not among the category's reviewed packets."),
        "reason_required": _("Give the reason in writing; it is kept in the audit trail."),
        "reason_too_long": _("Give the reason in at most %(n)s characters.", n=REASON_CHARS),
        "already_there": _("The packet is already where you asked to move it."),
        "unscored_packet": _("A packet without any locked score sheet cannot be put on the list."),
        "already_confirmed": _("The candidate list of this category is already confirmed."),
        "partly_confirmed": _(
            "Part of this category's list is confirmed and part is not; reopen the ranking "
            "before confirming again."
        ),
        "nothing_to_confirm": _("No packet of this category has reached expert review."),
        "sheets_pending": _(
            "Some score sheets are not locked yet; the list can be confirmed when every "
            "assigned expert has locked their sheet."
        ),
        "unscored": _("Some packets have no locked score sheet yet."),
        "over_quota": _(
            "The list holds more packets than the category's quota; move one out first."
        ),
        "not_confirmed": _("The candidate list of this category has not been confirmed."),
        "notice_started": _(
            "This list has been published for public notice; it can no longer be reopened."
        ),
        "stale": _("Someone changed these packets at the same time; nothing was saved, try again."),
        "not_allowed": _("You may not do this with this list."),
    }
    return messages[err.key]


# Kept apart from portal.labels: their values ('open', 'submitted', …) equal other enums'
# values, and StrEnum members with equal values are the same dictionary key.
TIE_LABELS = {
    TieBreak.CRITERIA: _l("same figure; higher criteria subtotal first"),
    TieBreak.SHEETS: _l("same figure and criteria subtotal; more score sheets first"),
    TieBreak.SUBMITTED: _l("same figure, subtotal and sheets; submitted earlier first"),
    TieBreak.UNRESOLVED: _l("tie nothing breaks; the office decides"),
}
STATUS_LABELS = {
    ListStatus.EMPTY: _l("No packet in expert review"),
    ListStatus.OPEN: _l("Not confirmed"),
    ListStatus.CONFIRMED: _l("Confirmed"),
    ListStatus.MIXED: _l("Partly confirmed: reopen the ranking before confirming"),
}


def tie_label(tie: TieBreak | None) -> str:
    return str(TIE_LABELS[tie]) if tie is not None else ""


def status_label(status: ListStatus) -> str:
    return str(STATUS_LABELS[status])


def problem_message(key: str) -> str:
    """Why the list cannot be confirmed, for one of CategoryResults.problems()."""
    return results_message(ResultsError(key))
