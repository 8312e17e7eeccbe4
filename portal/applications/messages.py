"""What each application refusal says to the user, shared by the web pages and the API."""

from __future__ import annotations

from flask_babel import format_datetime
from flask_babel import gettext as _

from portal.applications import service
from portal.limits import REASON_CHARS


def error_message(err: service.ApplicationError) -> str:
    when = err.params.get("when")
    messages = {
        "not_allowed": _("You may not do this with this application."),
        "not_editable": _(
            "This application is submitted; it can be changed only if it is "
            "withdrawn or returned for revision."
        ),
        "campaign_not_open": _("Applications can be made only while the campaign is open."),
        "deadline_passed": _(
            "Applications closed at %(when)s (Beijing time).",
            when=format_datetime(when, "yyyy-MM-dd HH:mm") if when else "",
        ),
        "stale": _(
            "Someone saved this application after you opened it. Your changes were not "
            "saved; the page now shows the saved version, please make them again."
        ),
        "already_submitted": _("This application is already submitted."),
        "not_submitted": _("Only a submitted application can be withdrawn or returned."),
        "review_started": _(
            "A review stage has already acted on this application, so it can no "
            "longer be withdrawn."
        ),
        "not_own": _("This application belongs to another unit."),
        "not_in_channel": _("This application does not belong to your channel."),
        "too_many_files": _(
            "An application packet holds at most %(max)s files; remove one "
            "before uploading another.",
            max=err.params.get("max"),
        ),
        "file_not_found": _("This file is not part of the draft."),
        "reason_required": _("Give the reason for returning the application."),
        "incomplete": _("The application is not complete yet; everything missing is listed below."),
        "invalid": _("Some fields need correcting; see the messages beside them."),
        "not_found": _("This application does not exist."),
        "recommendation_closed": _(
            "Channel review closed at %(when)s (Beijing time); no more decisions can be made.",
            when=format_datetime(when, "yyyy-MM-dd HH:mm") if when else "",
        ),
        "wrong_stage": _("This application is not at your organization's review stage."),
        "not_routed": _(
            "At this stage the application is reviewed by another channel organization."
        ),
        "stage_decided": _("Your stage has already decided on this version of the application."),
        "not_last_stage": _("The application still has channel review stages to pass."),
        "ranking_closed": _(
            "%(organization)s has already submitted its recommendation in this category, so "
            "a forwarded application could no longer be ranked. Decide not to recommend it, "
            "giving the reason, or ask the programme office.",
            organization=err.params.get("organization", ""),
        ),
        "opinion_required": _("Give the reason; the enterprise will read it."),
        "opinion_too_long": _("Give the opinion in at most %(n)s characters.", n=REASON_CHARS),
        "not_at_formal_check": _("Only a recommended application can be given the formal check."),
        "decision_stale": _(
            "Someone decided on this application after you opened it. Your decision was "
            "not saved; the page now shows where the application stands."
        ),
    }
    return messages[err.key]
