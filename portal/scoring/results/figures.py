"""A category's results: its packets' figures, ranking, moves, balance preview and status.

Loads what the pure functions in aggregation.py and ranking.py need in a fixed number of
statements whatever the number of packets. The page reads the packets as rows of the columns
it shows (`category_listing`); the confirmation, the exports and the API read them as objects
(`category_results`): both rank the same packets with the same functions.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, load_only

from portal.applications.models import Application, ApplicationState
from portal.balance import BalanceFigures, Shortfall, balance_figures, shortfalls
from portal.balance_counted import Place
from portal.campaigns.models import AggregationMethod, Campaign, CampaignCategory
from portal.organizations.models import District, Industry, Organization
from portal.scoring.aggregation import PacketScore, SheetTotal, aggregate, expert_scales
from portal.scoring.models import Assignment, AssignmentStatus, ScoreSheet, SheetStatus
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


class PoolPacket(NamedTuple):
    """A packet as the results page shows it and the balance figures count it."""

    id: int
    state: ApplicationState
    submitted_at: datetime | None
    title: str
    unit: str
    category: CampaignCategory
    district: District | Place | None  # a Place on the pages read by the database
    industry: Industry | Place | None
    member_count: int | None
    women_count: int | None
    average_age: Decimal | None
    female: bool | None
    age: int | None


class Move(NamedTuple):
    """A standing move as the page shows it."""

    direction: Direction
    reason: str


class ResultRow(NamedTuple):
    """A row of the list: a tuple, made for every packet of a list (see ranking.Entry)."""

    ranked: RankedPacket
    application: Any  # an Application, or a PoolPacket on the page
    move: ListMove | Move | None  # a Move on the page's rows ranked by the database
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
        return list_problems(
            self.status, self.pending_sheets, len(self.unscored), self.ranking.over_quota
        )


def list_problems(status: ListStatus, pending: int, unscored: int, over_quota: bool) -> list[str]:
    """Why a list in this state cannot be confirmed (message keys); empty when it can."""
    if status is ListStatus.EMPTY:
        return ["nothing_to_confirm"]
    if status is ListStatus.CONFIRMED:
        return ["already_confirmed"]
    if status is ListStatus.MIXED:
        return ["partly_confirmed"]
    found = []
    if pending:
        found.append("sheets_pending")
    if unscored:
        found.append("unscored")
    if over_quota:
        found.append("over_quota")
    return found


def locked_sheets() -> sa.Select:
    """The totals of the locked sheets of active assignments: what the figures are made of."""
    return (
        sa.select(
            ScoreSheet.application_id,
            ScoreSheet.expert_id,
            ScoreSheet.total,
            ScoreSheet.criteria_points,
        )
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(
            ScoreSheet.status == SheetStatus.LOCKED,
            Assignment.status == AssignmentStatus.ACTIVE,
        )
    )


def locked_sheet_totals(
    session: Session,
    campaign_id: int,
    category_id: int | None = None,
    application_ids: Sequence[int] | None = None,
) -> list[SheetTotal]:
    """The totals of the locked sheets of active assignments, in one statement; of one
    category, or of the whole campaign (what the z-score method needs), or of these packets."""
    query = locked_sheets().where(ScoreSheet.campaign_id == campaign_id)
    if category_id is not None:
        query = query.join(Application, Application.id == ScoreSheet.application_id).where(
            Application.category_id == category_id
        )
    if application_ids is not None:
        query = query.where(ScoreSheet.application_id.in_(application_ids))
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
    """The category's packets that reached expert review, as objects the workflow can move."""
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


# What the results page reads of a packet (PoolPacket without its category, district and
# industry), as pool_packet() takes it.
PACKET_COLUMNS = (
    A.id, A.state, A.submitted_at, A.team_name, A.person_name, Organization.name,
    A.member_count, A.women_count, A.average_age, A.female, A.age,
)  # fmt: skip


def pool_packet(row, category: CampaignCategory, district, industry) -> PoolPacket:
    """A PoolPacket from a row of PACKET_COLUMNS."""
    id_, state, submitted, team, person, unit, members, women, average_age, female, age = row
    return PoolPacket(id_, state, submitted, (team or person or "").strip(), unit, category,
                      district, industry, members, women, average_age, female, age)  # fmt: skip


def pool_packets(session: Session, category: CampaignCategory) -> list[PoolPacket]:
    """The same packets as pool_applications, as rows of what the page shows, in one
    statement; the few districts and industries are shared objects, one of each."""
    found = session.execute(
        sa.select(*PACKET_COLUMNS, District, Industry)
        .join(A.organization)
        .outerjoin(A.district)
        .outerjoin(A.industry)
        .where(A.category_id == category.id, A.state.in_(POOL_STATES))
        .order_by(A.id)
    )
    return [pool_packet(row[:-2], category, *row[-2:]) for row in found]


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


def packet_scores(
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


def _results(session: Session, category: CampaignCategory, packets: Sequence) -> CategoryResults:
    """Figures, ranking, moves, balance preview and status of the category's packets."""
    campaign = category.campaign
    scores, _sheets = packet_scores(session, campaign, [a.id for a in packets], category.id)
    moves = {
        m.application_id: m
        for m in session.scalars(sa.select(ListMove).where(ListMove.category_id == category.id))
    }
    pending = pending_sheet_counts(session, category.id)
    by_id = {a.id: a for a in packets}
    ranking = rank(
        [Entry(scores[a.id], a.submitted_at) for a in packets],
        category.quota,
        {app_id: m.direction for app_id, m in moves.items()},
    )
    rows = tuple(
        ResultRow(p, by_id[p.application_id], moves.get(p.application_id),
                  pending.get(p.application_id, 0))
        for p in ranking.packets
    )  # fmt: skip
    figures = balance_figures([r.application for r in rows if r.ranked.in_list])
    return CategoryResults(
        campaign=campaign,
        category=category,
        ranking=ranking,
        rows=rows,
        status=list_status(a.state for a in packets),
        balance=figures,
        shortfalls=tuple(
            shortfalls(figures, campaign.target_women_share, campaign.target_young_share)
        ),
    )


def category_results(
    session: Session, category: CampaignCategory, *, populate: bool = False
) -> CategoryResults:
    """The category's results with each packet an Application (confirmation, exports, API)."""
    return _results(session, category, pool_applications(session, category.id, populate=populate))


def category_listing(session: Session, category: CampaignCategory) -> CategoryResults:
    """The same results with each packet a PoolPacket: what the results page shows."""
    return _results(session, category, pool_packets(session, category))
