"""Refusals of expert review ('scoring.*') and what each says to the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.limits import REASON_CHARS
from portal.refusals import DomainError, register


class Refused(DomainError):
    """A scoring action refused; `key` names the reason (see MESSAGES)."""

    namespace = "scoring"


MESSAGES = {
    "not_expert": _l("Only an expert of the pool may do this."),
    "not_allowed": _l("You may not do this."),
    "pledge_required": _l(
        "Accept the confidentiality and impartiality pledge before reading any packet."
    ),
    "not_assigned": _l("This packet is not assigned to you."),
    "not_active": _l("This assignment is not active."),
    "sheet_locked": _l("The score sheet is locked. Ask the programme office to reopen it."),
    "sheet_not_locked": _l("The score sheet is not locked."),
    "list_settled": _l(
        "The candidate list of this packet is confirmed, so its scores can no longer change. "
        "Reopen the ranking of its category first if a score must be corrected."
    ),
    "stale": _l(
        "The score sheet was changed elsewhere since you opened it. "
        "Reload the page; your entries were not saved."
    ),
    "stale_record": _l(
        "Someone else saved this record since you opened it. Reload the page and try again."
    ),
    "incomplete": _l("Score every criterion before locking the sheet."),
    "reason_required": _l("Give a reason."),
    "reason_too_long": _l("Give the reason in at most %(n)s characters.", n=REASON_CHARS),
    "conflict_own": _l("The expert works for the applying unit."),
    "conflict_group": _l("The expert's organization is in the same group as the applying unit."),
    "conflict_channel": _l("The expert's organization is a channel organization of this packet."),
    "conflict_declared": _l("The expert declared a conflict or abstained on this packet."),
    "already_assigned": _l("The expert is already assigned to this packet."),
    "expert_inactive": _l("The expert is not active."),
    "not_member": _l("The expert is not a member of this panel."),
    "wrong_industry": _l("The packet is not of this panel's industry."),
    "not_accepted": _l("Only packets accepted into expert review can be assigned."),
    "not_withdrawn": _l("Only an assignment the expert withdrew from can be reassigned."),
    "no_eligible_expert": _l("No eligible expert is left in the panel for this packet."),
    "leader_not_member": _l("The panel leader must be one of its members."),
    "panel_exists": _l("This campaign already has a panel for that industry."),
    "user_taken": _l("That login already belongs to another expert."),
    "user_not_expert": _l("The login must have the expert role."),
    "no_email": _l("The expert has no e-mail address."),
}
register(Refused.namespace, MESSAGES)


class ResultsError(DomainError):
    """A refused operation on a category's candidate list (see RESULTS_MESSAGES)."""

    namespace = "results"


RESULTS_MESSAGES = {
    "not_found": _l("This packet is not among the category's reviewed packets."),
    "reason_required": _l("Give the reason in writing; it is kept in the audit trail."),
    "reason_too_long": _l("Give the reason in at most %(n)s characters.", n=REASON_CHARS),
    "already_there": _l("The packet is already where you asked to move it."),
    "unscored_packet": _l("A packet without any locked score sheet cannot be put on the list."),
    "already_confirmed": _l("The candidate list of this category is already confirmed."),
    "partly_confirmed": _l(
        "Part of this category's list is confirmed and part is not; reopen the ranking "
        "before confirming again."
    ),
    "nothing_to_confirm": _l("No packet of this category has reached expert review."),
    "sheets_pending": _l(
        "Some score sheets are not locked yet; the list can be confirmed when every "
        "assigned expert has locked their sheet."
    ),
    "unscored": _l("Some packets have no locked score sheet yet."),
    "over_quota": _l("The list holds more packets than the category's quota; move one out first."),
    "not_confirmed": _l("The candidate list of this category has not been confirmed."),
    "notice_started": _l(
        "This list has been published for public notice; it can no longer be reopened."
    ),
    "stale": _l("Someone changed these packets at the same time; nothing was saved, try again."),
    "not_allowed": _l("You may not do this with this list."),
}
register(ResultsError.namespace, RESULTS_MESSAGES)


def results_problem(key: str) -> str:
    """Why the list cannot be confirmed, for one of CategoryResults.problems()."""
    return ResultsError(key).message
