"""Refusals of application operations ('application.*') and what each says to the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.refusals import DomainError, register


class ApplicationError(DomainError):
    """A refused operation on an application packet (see MESSAGES)."""

    namespace = "application"


class InvalidData(ApplicationError):
    """Field problems, keyed by field name ('members-0-id_number' for table cells)."""

    def __init__(self, problems: dict[str, object]):
        super().__init__("invalid", count=len(problems))
        self.problems = problems


class Incomplete(ApplicationError):
    """Submission refused: everything that is missing, told at once (一次性告知)."""

    def __init__(self, missing: list[object]):
        super().__init__("incomplete", count=len(missing))
        self.missing = missing


MESSAGES = {
    "not_allowed": _l("You may not do this with this application."),
    "not_editable": _l(
        "This application is submitted; it can be changed only if it is "
        "withdrawn or returned for revision."
    ),
    "campaign_not_open": _l("Applications can be made only while the campaign is open."),
    "deadline_passed": _l("Applications closed at %(when)s (Beijing time)."),
    "stale": _l(
        "Someone saved this application after you opened it. Your changes were not "
        "saved; the page now shows the saved version, please make them again."
    ),
    "already_submitted": _l("This application is already submitted."),
    "not_submitted": _l("Only a submitted application can be withdrawn or returned."),
    "review_started": _l(
        "A review stage has already acted on this application, so it can no longer be withdrawn."
    ),
    "not_own": _l("This application belongs to another unit."),
    "not_in_channel": _l("This application does not belong to your channel."),
    "too_many_files": _l(
        "An application packet holds at most %(max)s files; remove one before uploading another."
    ),
    "file_not_found": _l("This file is not part of the draft."),
    "reason_required": _l("Give the reason for returning the application."),
    "incomplete": _l("The application is not complete yet; everything missing is listed below."),
    "invalid": _l("Some fields need correcting; see the messages beside them."),
    "not_found": _l("This application does not exist."),
}
register(ApplicationError.namespace, MESSAGES)
