"""Scoring results and the candidate list (拟表彰名单): figures, moves, confirm, reopen.

Loads what the pure functions in aggregation.py and ranking.py need in a fixed number of
statements whatever the number of packets, and changes packet states only through
portal.applications.workflow.fire. Functions flush; callers commit.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, load_only
from sqlalchemy.orm.exc import StaleDataError

from portal import audit, signals
from portal.applications.errors import ApplicationError
from portal.applications.models import Application, ApplicationState
from portal.applications.workflow import fire
from portal.balance import BalanceFigures, Shortfall, balance_figures, shortfalls
from portal.campaigns.models import AggregationMethod, Campaign, CampaignCategory
from portal.limits import REASON_CHARS
from portal.scoring.aggregation import PacketScore, SheetTotal, aggregate, expert_scales
from portal.scoring.errors import ResultsError
from portal.scoring.models import (
    Assignment,
    AssignmentStatus,
    Expert,
    Panel,
    ScoreSheet,
    SheetStatus,
)
from portal.scoring.ranking import Direction, Entry, RankedPacket, Ranking, rank
from portal.scoring.results.models import ListMove

# Every packet that reached expert review stays in its category's results.
POOL_STATES = (
    ApplicationState.ACCEPTED,
    ApplicationState.CANDIDATE,
    ApplicationState.NOT_SELECTED,
    ApplicationState.DISQUALIFIED,
    ApplicationState.AWARDED,
)
DECIDED_STATES = (
    ApplicationState.CANDIDATE,
    ApplicationState.NOT_SELECTED,
    ApplicationState.DISQUALIFIED,
    ApplicationState.AWARDED,
)
# What the results, the balance preview, the exports and the workflow read of a packet; the
# narrative and the rest of the form stay unloaded (thousands of packets on one page).
A = Application
POOL_COLUMNS = (
    A.campaign_id, A.category_id, A.organization_id, A.district_id, A.industry_id, A.state,
    A.lock_version, A.submitted_at, A.team_name, A.person_name, A.member_count,
    A.women_count, A.average_age, A.female, A.age,
)  # fmt: skip


class ListStatus(enum.StrEnum):
    EMPTY = "empty"  # no packet has reached expert review
    OPEN = "open"  # packets await the list's confirmation
    CONFIRMED = "confirmed"  # every packet is on the list or left off it
    MIXED = "mixed"  # some decided, some still open: reopen before confirming again


@dataclass(frozen=True)
class ResultRow:
    ranked: RankedPacket
    application: Application
    move: ListMove | None
    pending_sheets: int  # active assignments whose sheet is not locked yet

    @property
    def score(self) -> PacketScore:
        return self.ranked.score


@dataclass(frozen=True)
class CategoryResults:
    campaign: Campaign
    category: CampaignCategory
    ranking: Ranking
    rows: tuple[ResultRow, ...]
    status: ListStatus
    balance: BalanceFigures
    shortfalls: tuple[Shortfall, ...]

    @property
    def method(self):
        return self.campaign.aggregation_method

    @property
    def pending_sheets(self) -> int:
        return sum(r.pending_sheets for r in self.rows)

    @property
    def unscored(self) -> tuple[ResultRow, ...]:
        return tuple(r for r in self.rows if r.score.score is None)

    def problems(self) -> list[str]:
        """Why the list cannot be confirmed now (message keys); empty when it can."""
        if self.status is ListStatus.EMPTY:
            return ["nothing_to_confirm"]
        if self.status is ListStatus.CONFIRMED:
            return ["already_confirmed"]
        if self.status is ListStatus.MIXED:
            return ["partly_confirmed"]
        found = []
        if self.pending_sheets:
            found.append("sheets_pending")
        if self.unscored:
            found.append("unscored")
        if self.ranking.over_quota:
            found.append("over_quota")
        return found


def locked_sheet_totals(
    session: Session, campaign_id: int, category_id: int | None = None
) -> list[SheetTotal]:
    """The totals of the locked sheets of active assignments, in one statement; of one
    category, or of the whole campaign (what the z-score method needs)."""
    query = (
        sa.select(
            ScoreSheet.application_id,
            ScoreSheet.expert_id,
            ScoreSheet.total,
            ScoreSheet.criteria_points,
        )
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(
            ScoreSheet.campaign_id == campaign_id,
            ScoreSheet.status == SheetStatus.LOCKED,
            Assignment.status == AssignmentStatus.ACTIVE,
        )
    )
    if category_id is not None:
        query = query.join(Application, Application.id == ScoreSheet.application_id).where(
            Application.category_id == category_id
        )
    return [SheetTotal(*row) for row in session.execute(query)]


def pending_sheet_counts(session: Session, category_id: int) -> dict[int, int]:
    """Per packet of the category: active assignments without a locked sheet."""
    query = (
        sa.select(Assignment.application_id, sa.func.count())
        .join(Application, Application.id == Assignment.application_id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(
            Application.category_id == category_id,
            Assignment.status == AssignmentStatus.ACTIVE,
            sa.or_(ScoreSheet.id.is_(None), ScoreSheet.status != SheetStatus.LOCKED),
        )
        .group_by(Assignment.application_id)
    )
    return dict(session.execute(query).all())


def pool_applications(
    session: Session, category_id: int, *, populate: bool = False
) -> list[Application]:
    """The category's packets that reached expert review, with what the pages show."""
    query = (
        sa.select(Application)
        .where(Application.category_id == category_id, Application.state.in_(POOL_STATES))
        .options(
            load_only(*POOL_COLUMNS),
            joinedload(Application.category),
            joinedload(Application.organization),
            joinedload(Application.district),
            joinedload(Application.industry),
        )
        .order_by(Application.id)
    )
    if populate:
        query = query.execution_options(populate_existing=True)
    return list(session.scalars(query).unique())


def list_status(states: Iterable[ApplicationState]) -> ListStatus:
    """The list's status from the states of the category's reviewed packets."""
    states = set(states)
    if not states:
        return ListStatus.EMPTY
    open_ = ApplicationState.ACCEPTED in states
    decided = bool(states & set(DECIDED_STATES))
    if open_ and decided:
        return ListStatus.MIXED
    return ListStatus.OPEN if open_ else ListStatus.CONFIRMED


def _scores(
    session: Session, campaign: Campaign, application_ids, category_id: int | None = None
) -> tuple[dict[int, PacketScore], list[SheetTotal]]:
    """The figures of these packets under the campaign's method, and their locked sheets.

    The sheets are read for the category (or the campaign); the z-score method reads every
    locked sheet of the campaign, as each expert's scale comes from all their sheets.
    """
    ids = set(application_ids)
    z_method = campaign.aggregation_method == AggregationMethod.Z_SCORE
    sheets = locked_sheet_totals(session, campaign.id, None if z_method else category_id)
    scales = expert_scales(sheets) if z_method else None
    own = [s for s in sheets if s.application_id in ids]
    scores = aggregate(
        own,
        campaign.aggregation_method,
        campaign.score_spread_threshold,
        application_ids=ids,
        scales=scales,
    )
    return scores, own


def category_results(
    session: Session, category: CampaignCategory, *, populate: bool = False
) -> CategoryResults:
    """Figures, ranking, moves, balance preview and status of one category's list."""
    campaign = category.campaign
    apps = pool_applications(session, category.id, populate=populate)
    scores, _sheets = _scores(session, campaign, [a.id for a in apps], category.id)
    moves = {
        m.application_id: m
        for m in session.scalars(sa.select(ListMove).where(ListMove.category_id == category.id))
    }
    pending = pending_sheet_counts(session, category.id)
    by_id = {a.id: a for a in apps}
    ranking = rank(
        [Entry(scores[a.id], a.submitted_at) for a in apps],
        category.quota,
        {app_id: m.direction for app_id, m in moves.items()},
    )
    rows = tuple(
        ResultRow(p, by_id[p.application_id], moves.get(p.application_id),
                  pending.get(p.application_id, 0))
        for p in ranking.packets
    )  # fmt: skip
    in_list = [r.application for r in rows if r.ranked.in_list]
    figures = balance_figures(in_list)
    return CategoryResults(
        campaign=campaign,
        category=category,
        ranking=ranking,
        rows=rows,
        status=list_status(a.state for a in apps),
        balance=figures,
        shortfalls=tuple(
            shortfalls(figures, campaign.target_women_share, campaign.target_young_share)
        ),
    )


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


@dataclass(frozen=True)
class CategoryLine:
    category: CampaignCategory
    reviewed: int  # packets that reached expert review
    candidates: int
    status: ListStatus


@dataclass(frozen=True)
class CampaignOverview:
    campaign: Campaign
    categories: tuple[CategoryLine, ...]
    panels: tuple[Panel, ...]


def campaign_overview(session: Session, campaign: Campaign) -> CampaignOverview:
    """Each category's list status and counts, and the campaign's panels, in three statements."""
    states: dict[int, dict[ApplicationState, int]] = {}
    for category_id, state, count in session.execute(
        sa.select(Application.category_id, Application.state, sa.func.count())
        .where(Application.campaign_id == campaign.id, Application.state.in_(POOL_STATES))
        .group_by(Application.category_id, Application.state)
    ):
        states.setdefault(category_id, {})[state] = count
    lines = tuple(
        CategoryLine(
            category=c,
            reviewed=sum(states.get(c.id, {}).values()),
            candidates=states.get(c.id, {}).get(ApplicationState.CANDIDATE, 0)
            + states.get(c.id, {}).get(ApplicationState.AWARDED, 0),
            status=list_status(states.get(c.id, {})),
        )
        for c in campaign.categories
    )
    panels = session.scalars(
        sa.select(Panel).where(Panel.campaign_id == campaign.id).order_by(Panel.name, Panel.id)
    ).all()
    return CampaignOverview(campaign, lines, tuple(panels))


@dataclass(frozen=True)
class PanelRow:
    application: Application
    totals: dict[int, Decimal]  # expert id → locked total
    score: PacketScore


@dataclass(frozen=True)
class PanelTable:
    """A panel's score table (评分汇总表): packet × expert totals, the figure, the flag."""

    panel: Panel
    experts: tuple[Expert, ...]
    rows: tuple[PanelRow, ...]

    @property
    def method(self):
        return self.panel.campaign.aggregation_method


def panel_table(session: Session, panel: Panel) -> PanelTable:
    """The panel's packets (those with an active assignment in it), best figure first."""
    campaign = panel.campaign
    assignments = session.scalars(
        sa.select(Assignment)
        .where(Assignment.panel_id == panel.id, Assignment.status == AssignmentStatus.ACTIVE)
        .options(
            joinedload(Assignment.expert),
            joinedload(Assignment.application).joinedload(Application.organization),
        )
        .order_by(Assignment.application_id, Assignment.expert_id)
    ).all()
    apps = {a.application_id: a.application for a in assignments}
    experts = {a.expert_id: a.expert for a in assignments}
    scores, sheets = _scores(session, campaign, apps)
    totals: dict[int, dict[int, Decimal]] = {app_id: {} for app_id in apps}
    for sheet in sheets:
        if sheet.application_id in totals and sheet.expert_id in experts:
            totals[sheet.application_id][sheet.expert_id] = sheet.total
    ranking = rank([Entry(scores[i], a.submitted_at) for i, a in apps.items()], len(apps))
    rows = tuple(
        PanelRow(apps[p.application_id], totals[p.application_id], p.score) for p in ranking.packets
    )
    return PanelTable(panel, tuple(experts[i] for i in sorted(experts)), rows)
