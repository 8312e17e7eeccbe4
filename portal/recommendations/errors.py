"""Refusals of a ranking or recommendation ('ranking.*') and what each says to the user."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.refusals import DomainError, Message, register


class RankingError(DomainError):
    """A refusal of a ranking or recommendation (see MESSAGES)."""

    namespace = "ranking"


def _over_quota(p: Mapping[str, Any]) -> str:
    """The quota, and how it was computed (a ChannelQuota, explained in the reader's language)."""
    count, quota, how = p.get("count", ""), p.get("quota", ""), p.get("how")
    if how is None:
        return _(
            "You ranked %(count)s applications; your channel may recommend at most %(quota)s "
            "in this category. Leave the rank empty for those you do not recommend.",
            count=count,
            quota=quota,
        )
    return _(
        "You ranked %(count)s applications; your channel may recommend at most %(quota)s "
        "in this category (%(how)s). Leave the rank empty for those you do not recommend.",
        count=count,
        quota=quota,
        how=how.explanation(),
    )


MESSAGES: dict[str, Message] = {
    "not_allowed": _l("You may not rank or recommend these applications."),
    "campaign_not_open": _l("Recommendations can be made only while the campaign is open."),
    "deadline_passed": _l("Recommendations closed at %(when)s (Beijing time)."),
    "already_submitted": _l("This recommendation is already submitted; it cannot change."),
    "stale": _l(
        "Another reviewer of your organization saved this recommendation after you opened "
        "it. Nothing was saved; the page now shows their ranking, please check it and make "
        "your changes again."
    ),
    "over_quota": _over_quota,
    "bad_rank": _l("A rank is a whole number from 1; '%(value)s' is not."),
    "duplicate_rank": _l("Each rank may be given once; repeated: %(ranks)s."),
    "duplicate_packet": _l("An application may be ranked once."),
    "not_rankable": _l(
        "An application you ranked no longer awaits your recommendation (it may have been "
        "returned meanwhile). Nothing was saved; please check the list again."
    ),
    "opinion_required": _l("Write your organization's recommendation opinion before submitting."),
    "opinion_too_long": _l("The recommendation opinion is longer than %(max)s characters."),
    "left_out_reason_required": _l(
        "Write why the applications without a rank are not recommended: their units are "
        "told in your words."
    ),
    "nothing_to_recommend": _l("No application of your channel awaits a recommendation here."),
}
register(RankingError.namespace, MESSAGES)
