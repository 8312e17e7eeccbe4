"""Refusals of notice operations ('notice.*'), each with a message the pages and the API share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.refusals import DomainError, Message, register


class NoticeError(DomainError):
    """A refused notice operation (see MESSAGES)."""

    namespace = "notice"


def _when(p: Mapping[str, Any]) -> str:
    value = p.get("when")
    return format_datetime(value, "yyyy-MM-dd HH:mm:ss") if value else ""


def _window_closed(p: Mapping[str, Any]) -> str:
    return _(
        "The public notice is closed (it ran until %(when)s, Beijing time); objections are "
        "no longer accepted.",
        when=_when(p),
    )


def _window_not_open(p: Mapping[str, Any]) -> str:
    return _(
        "The public notice opens at %(when)s (Beijing time); objections are accepted from then.",
        when=_when(p),
    )


def _too_many_lookups(p: Mapping[str, Any]) -> str:
    return _(
        "Too many case lookups have come from this network or for this case number. "
        "Please try again in %(minutes)s minutes.",
        minutes=max(1, -(-int(p.get("retry_after", 60)) // 60)),
    )


MESSAGES: dict[str, Message] = {
    "no_candidates": _l("The campaign has no candidates to approve yet."),
    "notice_exists": _l("The public notice of this campaign is already published."),
    "no_round": _l(
        "The programme office has not asked for the joint approval of the current list."
    ),
    "list_changed": _l(
        "The candidate list changed after it was sent for approval; the programme office "
        "must send the current list again. Nothing was signed."
    ),
    "already_decided": _l("Your organization has already answered this round."),
    "not_organizer": _l("Only the four organizers sign off the candidate list."),
    "reason_required": _l("Give the reason for sending the list back."),
    "not_approved": _l(
        "The public notice can open only after all four organizers have signed the "
        "current candidate list."
    ),
    "opens_in_past": _l("The public notice cannot open in the past."),
    "window_closed": _window_closed,
    "window_not_open": _window_not_open,
    "not_on_list": _l("This candidate is not on the public notice."),
    "duplicate": _l(
        "We have already received this objection (case %(case)s); there is no need to "
        "send it again."
    ),
    "too_many_from_address": _l(
        "Too many objections have been sent from this network in the last hour. Please try "
        "again later, or contact the programme office."
    ),
    "too_many_from_mobile": _l(
        "This mobile number has sent %(max)s objections today, the most we accept in a day. "
        "Please contact the programme office if you have more."
    ),
    "too_fast": _l(
        "The form was sent too quickly after it was opened. Please check what you wrote "
        "and send it again."
    ),
    "form_expired": _l("The form has expired; please fill it in again."),
    "rejected": _l("The objection could not be accepted."),
    "too_many_files": _l("Attach at most %(max)s evidence files."),
    "already_decided_case": _l("This objection has already been decided."),
    "stale": _l(
        "Someone changed this case after you opened it. Nothing was saved; the page now "
        "shows the current case, please try again."
    ),
    "reply_required": _l("Write the reply the objector will see."),
    "not_investigator": _l("The investigator must be a programme office user."),
    "no_notice": _l("No candidate list is on public notice."),
    "no_case": _l("No case matches this case number and mobile number."),
    "too_many_lookups": _too_many_lookups,
    "office_only": _l("Only the programme office handles objections."),
    "decision_required": _l(
        "Send decision ('upheld' or 'dismissed'), reply and the case's lock_version."
    ),
}
register(NoticeError.namespace, MESSAGES)
