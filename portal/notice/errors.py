"""Refusals of notice operations, each with a message the pages and the API share."""

from __future__ import annotations

from flask_babel import format_datetime
from flask_babel import gettext as _


class NoticeError(Exception):
    """A refusal with a key; `message` says it in the user's language."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params

    @property
    def message(self) -> str:
        return notice_message(self)


def _when(value) -> str:
    return format_datetime(value, "yyyy-MM-dd HH:mm:ss") if value else ""


def notice_message(err: NoticeError) -> str:
    p = err.params
    messages = {
        "no_candidates": lambda: _("The campaign has no candidates to approve yet."),
        "notice_exists": lambda: _("The public notice of this campaign is already published."),
        "no_round": lambda: _(
            "The programme office has not asked for the joint approval of the current list."
        ),
        "list_changed": lambda: _(
            "The candidate list changed after it was sent for approval; the programme office "
            "must send the current list again. Nothing was signed."
        ),
        "already_decided": lambda: _("Your organization has already answered this round."),
        "not_organizer": lambda: _("Only the four organizers sign off the candidate list."),
        "reason_required": lambda: _("Give the reason for sending the list back."),
        "not_approved": lambda: _(
            "The public notice can open only after all four organizers have signed the "
            "current candidate list."
        ),
        "opens_in_past": lambda: _("The public notice cannot open in the past."),
        "window_closed": lambda: _(
            "The public notice is closed (it ran until %(when)s, Beijing time); objections are "
            "no longer accepted.",
            when=_when(p.get("when")),
        ),
        "window_not_open": lambda: _(
            "The public notice opens at %(when)s (Beijing time); objections are accepted from "
            "then.",
            when=_when(p.get("when")),
        ),
        "not_on_list": lambda: _("This candidate is not on the public notice."),
        "duplicate": lambda: _(
            "We have already received this objection (case %(case)s); there is no need to "
            "send it again.",
            case=p.get("case"),
        ),
        "too_many_from_address": lambda: _(
            "Too many objections have been sent from this network in the last hour. Please try "
            "again later, or contact the programme office."
        ),
        "too_many_from_mobile": lambda: _(
            "This mobile number has sent %(max)s objections today, the most we accept in a day. "
            "Please contact the programme office if you have more.",
            max=p.get("max"),
        ),
        "too_fast": lambda: _(
            "The form was sent too quickly after it was opened. Please check what you wrote "
            "and send it again."
        ),
        "form_expired": lambda: _("The form has expired; please fill it in again."),
        "rejected": lambda: _("The objection could not be accepted."),
        "too_many_files": lambda: _("Attach at most %(max)s evidence files.", max=p.get("max")),
        "already_decided_case": lambda: _("This objection has already been decided."),
        "stale": lambda: _(
            "Someone changed this case after you opened it. Nothing was saved; the page now "
            "shows the current case, please try again."
        ),
        "reply_required": lambda: _("Write the reply the objector will see."),
        "not_investigator": lambda: _("The investigator must be a programme office user."),
        "no_notice": lambda: _("No candidate list is on public notice."),
        "no_case": lambda: _("No case matches this case number and mobile number."),
        "too_many_lookups": lambda: _(
            "Too many case lookups have come from this network or for this case number. "
            "Please try again in %(minutes)s minutes.",
            minutes=max(1, -(-int(p.get("retry_after", 60)) // 60)),
        ),
        "office_only": lambda: _("Only the programme office handles objections."),
        "decision_required": lambda: _(
            "Send decision ('upheld' or 'dismissed'), reply and the case's lock_version."
        ),
    }
    return messages[err.key]()
