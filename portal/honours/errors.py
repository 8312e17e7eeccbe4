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


class AwardError(DomainError):
    """A refused record of an honour's award or of its recovery ('award.*')."""

    namespace = "award"


AWARD_MESSAGES = {
    "not_allowed": _l("Only the programme office records awards and their recovery."),
    "not_revoked": _l("An award is recovered only after its title is revoked."),
    "recovery_recorded": _l(
        "The recovery of this award is already recorded; the award given can no longer change."
    ),
    "date_in_future": _l("The date of the recovery cannot be in the future."),
    "before_revocation": _l(
        "The award cannot have been recovered before the title was revoked on %(day)s."
    ),
    "who_required": _l("Say who recovered the award (or who concluded it could not be)."),
    "note_required": _l("Write why the award was not recovered."),
    "bonus_negative": _l("A bonus cannot be negative."),
}
register(AwardError.namespace, AWARD_MESSAGES)
