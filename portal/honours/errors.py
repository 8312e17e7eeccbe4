"""Refusals of honour operations ('honour.*') and what each says to the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.refusals import DomainError, register


class HonourError(DomainError):
    """A refused honour operation (see MESSAGES)."""

    namespace = "honour"


MESSAGES = {
    "not_allowed": _l("You may not do this."),
    "notice_not_closed": _l(
        "The public notice of this campaign has not ended yet; the final list can be "
        "confirmed only after it closes."
    ),
    "objections_undecided": _l(
        "Objections to the public notice not yet decided: %(count)s. The final list can be "
        "confirmed once every objection is upheld or dismissed."
    ),
    "list_unsigned": _l(
        "The candidate list changed after the notice was published; the final list can be "
        "confirmed once all four organizers have signed the revised list."
    ),
    "already_confirmed": _l("The final list of this campaign is already confirmed."),
    "no_candidates": _l("There are no candidates left to award in this campaign."),
    "award_refused": _l("A candidate could not be awarded; nothing was changed."),
    "not_active": _l("Only an active honour can be proposed for revocation."),
    "proposal_open": _l("A revocation proposal for this honour is already awaiting decision."),
    "reason_required": _l("Give the reason."),
    "not_an_organizer": _l(
        "Only an approver of one of the four organizers can decide on a revocation."
    ),
    "already_decided": _l("Your organization has already answered this proposal."),
    "not_open": _l("This proposal has already been decided or withdrawn."),
    "approvals_missing": _l("Not all four organizers have approved yet."),
    "stale": _l(
        "Someone changed this record after you opened it. Nothing was saved; the page now "
        "shows where it stands."
    ),
    "date_in_future": _l("The date cannot be in the future."),
}
register(HonourError.namespace, MESSAGES)
