"""The candidate list's labels: how a tie was broken, and where the list stands."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.scoring.ranking import TieBreak
from portal.scoring.results.service import ListStatus

# Kept apart from portal.labels: their values ('open', 'submitted', …) equal other enums'
# values, and StrEnum members with equal values are the same dictionary key.
TIE_LABELS = {
    TieBreak.CRITERIA: _l("same figure; higher criteria subtotal first"),
    TieBreak.SHEETS: _l("same figure and criteria subtotal; more score sheets first"),
    TieBreak.SUBMITTED: _l("same figure, subtotal and sheets; submitted earlier first"),
    TieBreak.UNRESOLVED: _l("tie nothing breaks; the office decides"),
}
STATUS_LABELS = {
    ListStatus.EMPTY: _l("No packet in expert review"),
    ListStatus.OPEN: _l("Not confirmed"),
    ListStatus.CONFIRMED: _l("Confirmed"),
    ListStatus.MIXED: _l("Partly confirmed: reopen the ranking before confirming"),
}


def tie_label(tie: TieBreak | None) -> str:
    return str(TIE_LABELS[tie]) if tie is not None else ""


def status_label(status: ListStatus) -> str:
    return str(STATUS_LABELS[status])
