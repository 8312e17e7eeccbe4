"""What each refusal about a statistics table says to the user."""

from __future__ import annotations

from flask_babel import format_datetime
from flask_babel import gettext as _

from portal.limits import REASON_CHARS
from portal.statistics.service import StatisticsError


def error_message(err: StatisticsError) -> str:
    when = err.params.get("when")
    messages = {
        "not_allowed": _("You may not do this with this statistics table."),
        "not_found": _("This statistics table does not exist."),
        "stale": _(
            "Someone saved this table after you opened it. Your changes were not saved; "
            "the page now shows the saved figures, please enter yours again."
        ),
        "already_submitted": _("This statistics table is already submitted."),
        "not_submitted": _("Only a submitted statistics table can be returned."),
        "deadline_passed": _(
            "Statistics tables were due by %(when)s (Beijing time).",
            when=format_datetime(when, "yyyy-MM-dd HH:mm") if when else "",
        ),
        "incomplete": _("Fill in the contact person, phone and date before submitting."),
        "reason_required": _("Say what must be corrected."),
        "reason_too_long": _("Say it in at most %(n)s characters.", n=REASON_CHARS),
        "invalid": _("Some figures contradict each other; see the marked fields."),
    }
    return messages.get(err.key, messages["not_allowed"])


def problem_message(key: str) -> str:
    return {
        "negative": _("Enter a number of 0 or more."),
        "more_than_recommended": _("Cannot be more than the individuals recommended."),
        "trained_without_sessions": _("People were trained, so enter the sessions held."),
        "volunteers_without_activities": _("There were volunteers, so enter the activities held."),
    }[key]
