"""Where the candidate list stands against the list its campaign's latest joint-approval round
was opened on, kept in the database as packets enter and leave it (notice.models.ListChange).

A round's signatures are bound to the sorted ids of the candidates it was sent with; the round
is void once the list is another. Comparing the two on every view of the approval page read
every candidate and hashed their ids (a few milliseconds at 5,000). Instead, whenever a flush
adds or deletes a packet or writes its state or campaign, and the packet is, or was, or may
have been a candidate, its place is compared again with the campaign's latest round, in the
same transaction: a ListChange row holds each packet whose place differs from the round's list
(on the list now but not sent, or sent and now off it). The round is void while it has any.
A packet that returns to its place takes its row away, so a list that comes back to the one
sent is the one sent again, as its digest says.

On PostgreSQL the campaign's row is locked first, as service.request_approval locks it before
reading the list, so that a round opened at the same moment is either opened on the list with
the change or counts it. `compare` does the same for packets written without the ORM's unit
of work.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign
from portal.db import core_connection, id_chunks
from portal.notice.models import ApprovalRound, ListChange, RoundCandidate

CANDIDATE = ApplicationState.CANDIDATE


def compare(connection: sa.Connection | Session, campaign_id: int, ids: Iterable[int]) -> None:
    """Compare the places of these packets with the list of the campaign's latest round, and
    keep a ListChange row for each whose place differs."""
    connection = core_connection(connection)
    if connection.dialect.name == "postgresql":  # a round opened meanwhile waits, or is seen
        connection.execute(
            sa.select(Campaign.id).where(Campaign.id == campaign_id).with_for_update()
        )
    round_id = connection.scalar(
        sa.select(ApprovalRound.id)
        .where(ApprovalRound.campaign_id == campaign_id)
        .order_by(ApprovalRound.number.desc())
        .limit(1)
    )
    if round_id is None:  # no list sent yet: the first round is opened on the list as it is
        return
    for chunk in id_chunks(ids):
        _compare(connection, campaign_id, round_id, chunk)


def _compare(connection: sa.Connection, campaign_id: int, round_id: int, ids: list[int]) -> None:
    listed = connection.scalars(
        sa.select(Application.id).where(
            Application.id.in_(ids),
            Application.campaign_id == campaign_id,
            Application.state == CANDIDATE,
        )
    )
    sent = connection.scalars(
        sa.select(RoundCandidate.application_id).where(
            RoundCandidate.round_id == round_id, RoundCandidate.application_id.in_(ids)
        )
    )
    differ = set(listed) ^ set(sent)
    connection.execute(
        sa.delete(ListChange).where(
            ListChange.round_id == round_id, ListChange.application_id.in_(ids)
        )
    )
    if differ:
        connection.execute(
            sa.insert(ListChange),
            [{"round_id": round_id, "application_id": i} for i in sorted(differ)],
        )


# --- which packets a flush may move onto or off the list ---------------------------------


def _values(state, name: str) -> set:
    """The attribute's values before and after the flush, as far as they are loaded."""
    history = state.attrs[name].history
    return {*history.added, *history.unchanged, *history.deleted}


def _may_move(state, new: bool) -> bool:
    """Whether the packet is, or was, a candidate, or was changed from a state not loaded."""
    history = state.attrs.state.history
    if CANDIDATE in _values(state, "state"):
        return True
    return not new and not history.deleted and not history.unchanged


def _campaigns(obj: Application, state, gone: bool) -> set[int]:
    """The campaigns the packet is, or was, in: read again if not loaded (unless deleted)."""
    found = _values(state, "campaign_id")
    if not found and not gone:
        found = {obj.campaign_id}
    return found - {None}


def _moved(session: Session) -> dict[int, set[int]]:
    """{campaign id: its packets} whose place on the list this flush may have changed."""
    found: dict[int, set[int]] = defaultdict(set)
    # (packet, True: added, False: deleted, None: changed)
    changes: list[tuple[object, bool | None]] = [(o, True) for o in session.new]
    changes += [(o, False) for o in session.deleted]
    changes += [(o, None) for o in session.dirty]
    for obj, new in changes:
        if not isinstance(obj, Application):
            continue
        state = sa.inspect(obj)
        if new is None and not any(
            state.attrs[name].history.has_changes() for name in ("state", "campaign_id")
        ):
            continue
        if _may_move(state, new is True):
            packet = state.identity[0] if state.identity else obj.id  # new: not yet keyed
            for campaign_id in _campaigns(obj, state, gone=new is False):
                found[campaign_id].add(packet)
    return found


@event.listens_for(Session, "after_flush")
def _compare_moved(session: Session, _context) -> None:
    """After the flush's statements, while its histories are still those of the flush, compare
    the packets it may have moved."""
    for campaign_id, ids in sorted(_moved(session).items()):
        compare(session.connection(), campaign_id, ids)
