"""What each refusal of a ranking or recommendation says to the user."""

from __future__ import annotations

from flask_babel import format_datetime
from flask_babel import gettext as _

from portal.recommendations.rules import RankingError


def error_message(err: RankingError) -> str:
    p = err.params
    when = p.get("when")
    messages = {
        "not_allowed": _("You may not rank or recommend these applications."),
        "campaign_not_open": _("Recommendations can be made only while the campaign is open."),
        "deadline_passed": _(
            "Recommendations closed at %(when)s (Beijing time).",
            when=format_datetime(when, "yyyy-MM-dd HH:mm") if when else "",
        ),
        "already_submitted": _("This recommendation is already submitted; it cannot change."),
        "stale": _(
            "Another reviewer of your organization saved this recommendation after you opened "
            "it. Nothing was saved; the page now shows their ranking, please check it and make "
            "your changes again."
        ),
        "over_quota": _(
            "You ranked %(count)s applications; your channel may recommend at most %(quota)s "
            "in this category. Leave the rank empty for those you do not recommend.",
            count=p.get("count"),
            quota=p.get("quota"),
        ),
        "bad_rank": _(
            "A rank is a whole number from 1; '%(value)s' is not.", value=p.get("value", "")
        ),
        "duplicate_rank": _(
            "Each rank may be given once; repeated: %(ranks)s.", ranks=p.get("ranks", "")
        ),
        "duplicate_packet": _("An application may be ranked once."),
        "not_rankable": _(
            "An application you ranked no longer awaits your recommendation (it may have been "
            "returned meanwhile). Nothing was saved; please check the list again."
        ),
        "opinion_required": _(
            "Write your organization's recommendation opinion before submitting."
        ),
        "opinion_too_long": _(
            "The recommendation opinion is longer than %(max)s characters.", max=p.get("max")
        ),
        "nothing_to_recommend": _("No application of your channel awaits a recommendation here."),
    }
    return messages[err.key]
