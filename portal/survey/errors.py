"""Refusals of survey operations ('survey.*'), each with a message pages share."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.refusals import DomainError, Message, register


class SurveyError(DomainError):
    """A refused survey operation (see MESSAGES)."""

    namespace = "survey"


MESSAGES: dict[str, Message] = {
    "not_allowed": _l("Only the packet's own unit opens its survey, while the packet is a draft."),
    "no_settings": _l("The programme office has not set up the online survey for this campaign."),
    "closed": _l("This survey is closed; answers are no longer accepted. Thank you."),
    "not_open_yet": _l("This survey is not open yet. Please come back later."),
    "already_answered": _l("This device has already answered this survey. Thank you."),
    "no_device": _l("Please open the survey page again and answer from there."),
    "too_many_from_address": _l(
        "Too many answers have come from this network. Please try again later."
    ),
    "too_busy": _l("Many customers are answering right now. Please send again in a minute."),
    "opening_hours": _l("The opening hours must run from an earlier to a later time."),
    "count_not_allowed": _l(
        "Only the channel reviewer at the packet's stage, or the programme office at its formal "
        "check, counts the paper surveys."
    ),
    "no_batch": _l("This scanned batch is not in the packet's survey slot."),
    "no_paper": _l("This campaign does not let a scanned paper batch stand in for answers."),
    "count_range": _l(
        "Enter the number of filled-in surveys you counted: a whole number from 0 to 10000."
    ),
}
register(SurveyError.namespace, MESSAGES)
