"""Refusals of a campaign's status changes ('campaign.*') and what each says to the user.

They are raised as portal.workflow.TransitionRefused, the error of CAMPAIGN_WORKFLOW."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.refusals import Message, register


def _not_ready(p: Mapping[str, Any]) -> str:
    """Every problem of readiness_problems(), joined when shown (translated for the reader)."""
    return " ".join(str(problem) for problem in p.get("problems", ()))


MESSAGES: dict[str, Message] = {
    "move_not_allowed": _l("A campaign that is %(current)s cannot become %(target)s."),
    "office_only": _l("Only the programme office changes a campaign's status."),
    "reason_required": _l("Give a reason for reopening the campaign."),
    "another_open": _l("The %(year)s campaign is open; close it before opening another one."),
    "not_ready": _not_ready,
}
register("campaign", MESSAGES)
