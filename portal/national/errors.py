"""Refusals of the national recommendation ('national.*') and what each says to the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.refusals import DomainError, register


class NationalError(DomainError):
    """A refused change of the national recommendation list (see MESSAGES)."""

    namespace = "national"


MESSAGES = {
    "not_allowed": _l("Only the programme office makes the national recommendation."),
    "not_current": _l(
        "%(holder)s does not hold a current title (%(status)s): only the city's current "
        "honour holders can be recommended to the national programme."
    ),
    "unknown_honour": _l("There is no such honour."),
    "already_listed": _l("%(holder)s is already on the %(year)s list."),
    "not_listed": _l("This holder is not on the list (any more); the page now shows the list."),
    "bad_order": _l(
        "Give every holder on the list a different rank from 1 to %(count)s; nothing was saved."
    ),
    "reason_too_long": _l("The reason is longer than %(max)s characters."),
    "no_longer_current": _l(
        "%(holders)s no longer hold a current title: take them off the list before exporting."
    ),
    "empty": _l("The %(year)s list is empty: recommend at least one holder before exporting."),
}
register(NationalError.namespace, MESSAGES)
