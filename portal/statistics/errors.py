"""Refusals about a statistics table ('statistics.*') and what each says to the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.limits import REASON_CHARS
from portal.refusals import DomainError, register


class StatisticsError(DomainError):
    """A refused operation on a statistics table (see MESSAGES)."""

    namespace = "statistics"


class InvalidFigures(StatisticsError):
    """Figures that contradict each other; `problems` maps a field to its key in PROBLEMS."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("invalid")
        self.problems = problems


MESSAGES = {
    "not_allowed": _l("You may not do this with this statistics table."),
    "not_found": _l("This statistics table does not exist."),
    "stale": _l(
        "Someone saved this table after you opened it. Your changes were not saved; "
        "the page now shows the saved figures, please enter yours again."
    ),
    "already_submitted": _l("This statistics table is already submitted."),
    "not_submitted": _l("Only a submitted statistics table can be returned."),
    "deadline_passed": _l("Statistics tables were due by %(when)s (Beijing time)."),
    "incomplete": _l("Fill in the contact person, phone and date before submitting."),
    "reason_required": _l("Say what must be corrected."),
    "reason_too_long": _l("Say it in at most %(n)s characters.", n=REASON_CHARS),
    "invalid": _l("Some figures contradict each other; see the marked fields."),
}
register(StatisticsError.namespace, MESSAGES)

# What each contradiction says beside its field.
PROBLEMS = {
    "negative": _l("Enter a number of 0 or more."),
    "more_than_recommended": _l("Cannot be more than the individuals recommended."),
    "trained_without_sessions": _l("People were trained, so enter the sessions held."),
    "volunteers_without_activities": _l("There were volunteers, so enter the activities held."),
}


def problem_message(key: str) -> str:
    return str(PROBLEMS[key])
