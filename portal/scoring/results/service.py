"""The candidate list (拟表彰名单): the office's moves, the confirmation, the reopening.

Changes packet states only through portal.applications.workflow.fire. Functions flush;
callers commit. The figures are computed in figures.py, the overview and the panels' tables
in panels.py; their names are re-exported here for the pages, the exports and the API.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from portal import audit, signals
from portal.applications.errors import ApplicationError
from portal.applications.models import ApplicationState
from portal.applications.workflow import fire
from portal.campaigns.models import CampaignCategory
from portal.limits import REASON_CHARS
from portal.scoring.errors import ResultsError
from portal.scoring.ranking import Direction
from portal.scoring.results.figures import (
    DECIDED_STATES,
    POOL_COLUMNS,
    POOL_STATES,
    CategoryResults,
    ListStatus,
    PoolPacket,
    ResultRow,
    category_listing,
    category_results,
    list_status,
    locked_sheet_totals,
    packet_scores,
    pending_sheet_counts,
    pool_applications,
    pool_packets,
)
from portal.scoring.results.models import ListMove
from portal.scoring.results.panels import (
    CampaignOverview,
    CategoryLine,
    PanelRow,
    PanelTable,
    campaign_overview,
    panel_table,
)

__all__ = [
    "DECIDED_STATES", "POOL_COLUMNS", "POOL_STATES", "CampaignOverview", "CategoryLine",
    "CategoryResults", "Confirmation", "ListStatus", "PanelRow", "PanelTable", "PoolPacket",
    "ResultRow", "campaign_overview", "category_listing", "category_results", "confirm_list",
    "list_status", "locked_sheet_totals", "move_packet", "packet_scores",
    "pending_sheet_counts", "panel_table", "pool_applications", "pool_packets", "reopen_list",
]  # fmt: skip


def _lock_category(session: Session, category_id: int) -> CampaignCategory:
    """Serialise moves, confirmations and reopenings of one category's list."""
    category = session.scalar(
        sa.select(CampaignCategory)
        .where(CampaignCategory.id == category_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if category is None:
        raise ResultsError("not_found")
    return category


def _reason(reason: str | None) -> str:
    """The written reason of a move or a reopening: required, at most REASON_CHARS."""
    reason = (reason or "").strip()
    if not reason:
        raise ResultsError("reason_required")
    if len(reason) > REASON_CHARS:
        raise ResultsError("reason_too_long")
    return reason


def move_packet(
    session: Session,
    category_id: int,
    application_id: int,
    direction: Direction,
    actor,
    reason: str,
) -> ListMove | None:
    """Move a packet onto (IN) or off (OUT) the open list, with a written reason.

    Moving a packet back where its rank puts it removes the standing move. A packet already
    where it is asked to go is refused ('already_there'), so a repeated request acts once.
    Returns the standing move, or None when it was removed.
    """
    reason = _reason(reason)
    category = _lock_category(session, category_id)
    results = category_results(session, category, populate=True)
    row = next((r for r in results.rows if r.application.id == application_id), None)
    if row is None:
        raise ResultsError("not_found")
    if row.application.state is not ApplicationState.ACCEPTED:
        raise ResultsError("already_confirmed")
    wanted_in = direction is Direction.IN
    if row.ranked.in_list == wanted_in:
        raise ResultsError("already_there")
    before = {"in_list": row.ranked.in_list, "move": row.move.direction if row.move else None}
    if row.move is not None:
        session.delete(row.move)
        standing = None
    elif wanted_in and row.score.score is None:
        raise ResultsError("unscored_packet")
    else:
        standing = ListMove(
            category_id=category.id,
            application_id=application_id,
            direction=direction,
            reason=reason,
            created_by_id=getattr(actor, "id", None),
        )
        session.add(standing)
    audit.record(
        session,
        actor=actor,
        action=f"candidate_list.move_{direction.value}",
        obj=row.application,
        before=before,
        after={"in_list": wanted_in, "move": standing.direction if standing else None,
               "rank": row.ranked.position, "score": row.score.score},
        reason=reason,
    )  # fmt: skip
    session.flush()
    return standing


@dataclass(frozen=True)
class Confirmation:
    candidates: tuple[int, ...]
    not_selected: tuple[int, ...]


def _not_selected_reason(row, quota: int) -> str:
    """What the unit of a packet left off the list is told: the office's own words when it
    moved the packet off by hand, else its rank and score against the category's quota."""
    if row.move is not None and row.move.reason:
        return row.move.reason
    rank, score = row.ranked.rank, row.score.score
    shown = "—" if score is None else f"{float(score):.2f}"
    return (
        f"专家评审得分{shown}，排名第{rank}，未进入本类别{quota}个表彰名额 / "
        f"Scored {shown} in the expert review, ranked {rank}, outside the category's "
        f"{quota} places"
    )


def confirm_list(session: Session, category_id: int, actor) -> Confirmation:
    """Confirm the category's candidate list once: accepted → candidate for the packets on
    it, accepted → not_selected for the rest, each through the workflow, and one audit entry
    for the list. A second request finds the list confirmed and is refused."""
    category = _lock_category(session, category_id)
    results = category_results(session, category, populate=True)
    problems = results.problems()
    if problems:
        raise ResultsError(problems[0], problems=problems)
    candidates, left_out = [], []
    try:
        for row in results.rows:
            extra = {
                "rank": row.ranked.position,
                "score": row.score.score,
                "method": results.method,
            }
            if row.ranked.in_list:
                fire(session, row.application, ApplicationState.CANDIDATE, actor, extra=extra)
                candidates.append(row.application.id)
            else:
                reason = _not_selected_reason(row, category.quota)
                fire(
                    session,
                    row.application,
                    ApplicationState.NOT_SELECTED,
                    actor,
                    reason,
                    extra=extra,
                )
                left_out.append(row.application.id)
        session.flush()
    except StaleDataError as err:
        raise ResultsError("stale") from err
    except ApplicationError as err:
        raise ResultsError("not_allowed") from err
    audit.record(
        session,
        actor=actor,
        action="candidate_list.confirm",
        obj=category,
        after={
            "method": results.method,
            "quota": category.quota,
            "candidates": candidates,
            "not_selected": left_out,
            "moves": {str(r.application.id): r.move.direction for r in results.rows if r.move},
        },
    )
    return Confirmation(tuple(candidates), tuple(left_out))


def _notice_published(session: Session, campaign_id: int) -> bool:
    return bool(signals.answers(signals.published_notice, campaign_id, session=session))


def reopen_list(session: Session, category_id: int, actor, reason: str) -> int:
    """Send every candidate and not-selected packet of the category back to accepted
    ('reopen_ranking'), with a reason. Once the list is on public notice it cannot be
    reopened: the published list and its scores stay as they are. Returns how many moved."""
    reason = _reason(reason)
    category = _lock_category(session, category_id)
    apps = pool_applications(session, category.id, populate=True)
    if _notice_published(session, category.campaign_id) or any(
        a.state in (ApplicationState.AWARDED, ApplicationState.DISQUALIFIED) for a in apps
    ):
        raise ResultsError("notice_started")
    decided = [
        a for a in apps if a.state in (ApplicationState.CANDIDATE, ApplicationState.NOT_SELECTED)
    ]
    if not decided:
        raise ResultsError("not_confirmed")
    try:
        for app in decided:
            fire(session, app, ApplicationState.ACCEPTED, actor, reason=reason)
        session.flush()
    except StaleDataError as err:
        raise ResultsError("stale") from err
    except ApplicationError as err:
        raise ResultsError("not_allowed") from err
    audit.record(
        session,
        actor=actor,
        action="candidate_list.reopen",
        obj=category,
        after={"reopened": [a.id for a in decided]},
        reason=reason,
    )
    return len(decided)
