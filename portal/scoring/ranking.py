"""Ranking of a category's packets against its quota (排序), with the office's moves.

Pure functions over aggregated figures: no database. Order, best first:

1. the method's figure (the one shown, rounded to 2 places), higher first;
2. then the mean criteria subtotal (the 100 points without bonus and deductions), higher first;
3. then more locked sheets first;
4. then the packet submitted earlier first;
5. then, only to keep the order stable, the lower packet number; a tie that reaches this
   step is *unresolved*, and at the quota line it is flagged for the office to decide.

Each packet whose figure equals the one above it records which step separated them
(`tie_broken_by`), so the page can say why it stands where it does. Packets without any
locked sheet rank last and are never within the quota.

The list is the packets within the quota, minus those the office moved out, plus those it
moved in, each move with a written reason.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from portal.scoring.aggregation import PacketScore

_LATEST = datetime.max.replace(tzinfo=UTC)


class Direction(enum.StrEnum):
    """An office move of one packet across the quota line."""

    IN = "in"  # onto the list, though ranked outside the quota
    OUT = "out"  # off the list, though ranked within the quota


class TieBreak(enum.StrEnum):
    """What separated a packet from the one above it with the same figure."""

    CRITERIA = "criteria"
    SHEETS = "sheets"
    SUBMITTED = "submitted"
    UNRESOLVED = "unresolved"


class Entry(NamedTuple):
    """A packet to rank: its figures and when it was submitted. It and RankedPacket are tuples
    rather than frozen dataclasses, which take five times as long to make, one of each for
    every packet of a list."""

    score: PacketScore
    submitted_at: datetime | None

    @property
    def application_id(self) -> int:
        return self.score.application_id


class RankedPacket(NamedTuple):
    application_id: int
    position: int  # 1, 2, 3, … in the order above
    rank: int  # shared by equal figures (1, 2, 2, 4)
    score: PacketScore
    submitted_at: datetime | None
    within_quota: bool
    move: Direction | None
    tie_broken_by: TieBreak | None

    @property
    def in_list(self) -> bool:
        if self.move is Direction.IN:
            return True
        if self.move is Direction.OUT:
            return False
        return self.within_quota


@dataclass(frozen=True)
class Ranking:
    quota: int
    packets: tuple[RankedPacket, ...]
    # The last packet within the quota and the first outside it share a figure: what
    # separated them, or UNRESOLVED (the office decides); None when there is no such tie.
    quota_tie: TieBreak | None

    @property
    def in_list(self) -> tuple[RankedPacket, ...]:
        return tuple(p for p in self.packets if p.in_list)

    @property
    def in_count(self) -> int:
        return len(self.in_list)

    @property
    def over_quota(self) -> bool:
        return self.in_count > self.quota

    @property
    def unresolved_at_quota(self) -> bool:
        return self.quota_tie is TieBreak.UNRESOLVED

    @property
    def flagged(self) -> tuple[RankedPacket, ...]:
        return tuple(p for p in self.packets if p.score.flagged)


def _key(entry: Entry) -> tuple:
    s = entry.score
    return (
        s.score is None,
        -(s.score or 0),
        -(s.criteria or 0),
        -s.sheet_count,
        entry.submitted_at or _LATEST,
        entry.application_id,
    )


def tie_break(above: Entry, below: Entry) -> TieBreak | None:
    """What separates two packets of equal figure; None when the figures differ."""
    if above.score.score is None or above.score.score != below.score.score:
        return None
    if above.score.criteria != below.score.criteria:
        return TieBreak.CRITERIA
    if above.score.sheet_count != below.score.sheet_count:
        return TieBreak.SHEETS
    if (above.submitted_at or _LATEST) != (below.submitted_at or _LATEST):
        return TieBreak.SUBMITTED
    return TieBreak.UNRESOLVED


def rank(
    entries: Iterable[Entry], quota: int, moves: Mapping[int, Direction] | None = None
) -> Ranking:
    """Order the packets, mark those within the quota, and apply the office's moves."""
    moves = moves or {}
    ordered = sorted(entries, key=_key)
    packets: list[RankedPacket] = []
    current_rank = 0
    for index, entry in enumerate(ordered):
        above = ordered[index - 1] if index else None
        tie = tie_break(above, entry) if above is not None else None
        if above is None or entry.score.score != above.score.score:
            current_rank = index + 1
        packets.append(
            RankedPacket(
                application_id=entry.application_id,
                position=index + 1,
                rank=current_rank,
                score=entry.score,
                submitted_at=entry.submitted_at,
                within_quota=index < quota and entry.score.score is not None,
                move=moves.get(entry.application_id),
                tie_broken_by=tie,
            )
        )
    quota_tie = None
    if 0 < quota < len(packets) and packets[quota - 1].within_quota:
        quota_tie = packets[quota].tie_broken_by
    return Ranking(quota=quota, packets=tuple(packets), quota_tie=quota_tie)
