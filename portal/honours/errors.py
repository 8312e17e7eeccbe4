"""Refusals of honour operations, each with a message key, and what each says to the user."""

from __future__ import annotations

from flask_babel import gettext as _


class HonourError(Exception):
    """A refusal with a message key (see message())."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def message(err: HonourError) -> str:
    messages = {
        "not_allowed": _("You may not do this."),
        "notice_not_closed": _(
            "The public notice of this campaign has not ended yet; the final list can be "
            "confirmed only after it closes."
        ),
        "objections_undecided": _(
            "Objections to the public notice not yet decided: %(count)s. The final list can be "
            "confirmed once every objection is upheld or dismissed.",
            count=err.params.get("count", 0),
        ),
        "list_unsigned": _(
            "The candidate list changed after the notice was published; the final list can be "
            "confirmed once all four organizers have signed the revised list."
        ),
        "already_confirmed": _("The final list of this campaign is already confirmed."),
        "no_candidates": _("There are no candidates left to award in this campaign."),
        "award_refused": _("A candidate could not be awarded; nothing was changed."),
        "not_active": _("Only an active honour can be proposed for revocation."),
        "proposal_open": _("A revocation proposal for this honour is already awaiting decision."),
        "reason_required": _("Give the reason."),
        "not_an_organizer": _(
            "Only an approver of one of the four organizers can decide on a revocation."
        ),
        "already_decided": _("Your organization has already answered this proposal."),
        "not_open": _("This proposal has already been decided or withdrawn."),
        "approvals_missing": _("Not all four organizers have approved yet."),
        "stale": _(
            "Someone changed this record after you opened it. Nothing was saved; the page now "
            "shows where it stands."
        ),
        "date_in_future": _("The date cannot be in the future."),
    }
    return messages.get(err.key, messages["not_allowed"])
