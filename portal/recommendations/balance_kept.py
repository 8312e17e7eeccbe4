"""The balance figures' sums (portal.balance_counted) kept in the database as packets change, so
that a page reads a whole list's figures from a few dozen rows instead of grouping every packet.

Two tables. balance_packet holds what each packet adds (its group's keys and its shares, as
balance_counted counts one packet) while it is at 'recommended' or later (what the balance
pages, the candidate list and the results count); balance_sums holds the same added up per
campaign, category, state, kind, age band, district, industry and recommending organization.

Whenever a flush writes a packet's state, campaign, category, kind, ages, women figures,
district or industry, or a recommendation's entries, submission or organization, the packets
concerned are counted again in the same transaction (`refresh`): their balance_packet rows are
deleted and inserted again from the packets, and balance_sums takes the difference, added per
key with one upsert (portal.kept_sums). `refresh` does the same for packets written without the
ORM's unit of work (bulk inserts).

A key with no district, industry or recommending organization keeps 0 there (a unique key
treats NULLs as distinct): the reads turn it back into none.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal import balance_counted, kept_sums
from portal.applications.models import Application, ApplicationState
from portal.balance import AgeBand
from portal.campaigns.models import CategoryKind
from portal.db import Base, enum_column
from portal.recommendations.models import Recommendation, RecommendationEntry

# The states whose packets the balance figures count: a submitted recommendation sent them on
# (portal.recommendations.dashboard counts these citywide).
KEPT_STATES = (
    ApplicationState.RECOMMENDED,
    ApplicationState.INCOMPLETE,  # returned for completion by the formal check, still recommended
    ApplicationState.REJECTED,
    ApplicationState.ACCEPTED,
    ApplicationState.CANDIDATE,
    ApplicationState.NOT_SELECTED,
    ApplicationState.DISQUALIFIED,
    ApplicationState.AWARDED,
)
KEYS = (
    "campaign_id", "category_id", "state", "kind", "band", "district_id", "industry_id",
    "recommender_id",
)  # fmt: skip
SHARES = ("team_members", "team_women", "individuals_known", "women", "known")


class _Counted:
    """The columns both tables share: a group's keys and what it adds up."""

    campaign_id: Mapped[int]
    category_id: Mapped[int]
    kind: Mapped[CategoryKind] = mapped_column(enum_column(CategoryKind, "balance_kind"))
    band: Mapped[AgeBand] = mapped_column(enum_column(AgeBand, "balance_band"))
    district_id: Mapped[int]  # 0: not given
    industry_id: Mapped[int]  # 0: not given
    recommender_id: Mapped[int]  # the submitted recommendation's organization; 0: none
    team_members: Mapped[int]  # of teams with both figures
    team_women: Mapped[int]
    individuals_known: Mapped[int]  # individuals whose sex is known
    women: Mapped[int]  # among them
    known: Mapped[int]  # packets whose share of women is known


class BalancePacket(_Counted, Base):
    """What one packet adds to the balance figures while it is at 'recommended' or later."""

    __tablename__ = "balance_packet"

    # No foreign key: a packet is never deleted, and its row must outlive any delete until
    # refresh() has taken it out of the sums.
    application_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    state: Mapped[ApplicationState] = mapped_column(
        enum_column(ApplicationState, "balance_packet_state")
    )


class BalanceSums(_Counted, Base):
    """The packets of one group (KEYS) counted, with what the share of women adds up."""

    __tablename__ = "balance_sums"
    __table_args__ = (sa.UniqueConstraint(*KEYS, name="uq_balance_sums_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[ApplicationState] = mapped_column(
        enum_column(ApplicationState, "balance_sums_state")
    )
    packets: Mapped[int]


P, S = BalancePacket, BalanceSums
A = Application


@cache
def _counted() -> sa.Select:
    """What each packet in the expanding parameter `ids` adds, if it is in KEPT_STATES, with
    the organization of the campaign's submitted recommendation that ranks it."""
    ids: sa.BindParameter[list[int]] = sa.bindparam("ids", expanding=True)
    submitted = (
        sa.select(
            RecommendationEntry.application_id,
            Recommendation.organization_id,
            Recommendation.campaign_id,
        )
        .join(Recommendation, Recommendation.id == RecommendationEntry.recommendation_id)
        .where(
            Recommendation.submitted_at.is_not(None), RecommendationEntry.application_id.in_(ids)
        )
        .subquery()
    )
    recommender = sa.case(
        (submitted.c.campaign_id == A.campaign_id, submitted.c.organization_id), else_=0
    )
    return (
        sa.select(
            A.id,
            A.campaign_id,
            A.category_id,
            A.state,
            A.kind,
            balance_counted.age_band(),
            sa.func.coalesce(A.district_id, 0),
            sa.func.coalesce(A.industry_id, 0),
            recommender,
            *balance_counted.shares(),
        )  # fmt: skip
        .outerjoin(submitted, submitted.c.application_id == A.id)
        .where(A.id.in_(ids), A.state.in_(KEPT_STATES))
    )


def _columns(model) -> list:
    return [getattr(model, name) for name in (*KEYS, *SHARES)]


def refresh(connection: sa.Connection | Session, application_ids: Iterable[int]) -> None:
    """Count these packets again: their rows from the packets as they now stand, and the sums
    moved by the difference."""
    kept_sums.recount(connection, application_ids, P, S, _insert, KEYS, SHARES)


@cache
def _insert() -> sa.Insert:
    return sa.insert(P).from_select(["application_id", *KEYS, *SHARES], _counted())


# --- which packets a flush touches --------------------------------------------------------

# What a change to a packet or a recommendation can move in the figures.
_PACKET = (
    "state", "campaign_id", "category_id", "category", "kind", "age", "average_age", "female",
    "member_count", "women_count", "district_id", "district", "industry_id", "industry",
)  # fmt: skip
_ENTRY = ("application_id", "application", "recommendation_id", "recommendation")
_RECOMMENDATION = ("submitted_at", "organization_id", "campaign_id")


def _kept(obj, state) -> bool:
    """Whether the packet is, or was, in KEPT_STATES."""
    return any(s in KEPT_STATES for s in (obj.state, *state.attrs.state.history.deleted))


def _recommended(session: Session, recommendations: list) -> set[int]:
    """The packets of these recommendations, and those whose rows name their organization
    in their campaign (before the change)."""
    ids = [r.id for r in recommendations]
    found = set(
        session.scalars(
            sa.select(RecommendationEntry.application_id).where(
                RecommendationEntry.recommendation_id.in_(ids)
            )
        )
    )
    for r in recommendations:
        state = sa.inspect(r)
        organizations = {r.organization_id, *state.attrs.organization_id.history.deleted}
        campaigns = {r.campaign_id, *state.attrs.campaign_id.history.deleted}
        found.update(
            session.scalars(
                sa.select(P.application_id).where(
                    P.recommender_id.in_([o for o in organizations if o is not None]),
                    P.campaign_id.in_([c for c in campaigns if c is not None]),
                )
            )
        )
    return found


def _touched(session: Session) -> set[int]:
    """The packets whose figures this flush may move."""
    found: set[int] = set()
    recommendations = []
    for obj, state, writes in kept_sums.written(session):
        if isinstance(obj, Application):
            if writes(_PACKET) and _kept(obj, state):
                found.add(obj.id)
        elif isinstance(obj, RecommendationEntry):
            if writes(_ENTRY):
                found.update(kept_sums.packets_of(obj, state))
        elif isinstance(obj, Recommendation) and writes(_RECOMMENDATION):
            recommendations.append(obj)
    if recommendations:
        found.update(_recommended(session, recommendations))
    found.discard(None)
    return found


kept_sums.after_flush(_touched, refresh)


# --- the reads ------------------------------------------------------------------------------


def _place(column) -> sa.ColumnElement[int | None]:
    return sa.func.nullif(column, 0)


def _grouped(model, packets: sa.ColumnElement[int], *where: sa.ColumnElement[bool]) -> sa.Select:
    """The rows of `model` (kept sums or kept packets) that meet `where`, per kind, age band,
    district and industry, `packets` counting each group's packets: read with
    balance_counted.figures()."""
    keys = (model.kind, model.band, _place(model.district_id), _place(model.industry_id))
    added = [sa.func.sum(getattr(model, name)) for name in SHARES]
    counted = (
        sa.select(*keys, packets, *added)
        .where(*where)
        .group_by(*keys)
        .having(packets > 0)
        .subquery()
    )
    return balance_counted.named(counted)


def grouped(*where: sa.ColumnElement[bool]) -> sa.Select:
    """The kept sums that meet `where`, grouped as balance_counted.grouped counts the packets
    themselves."""
    return _grouped(S, sa.func.sum(S.packets), *where)


def packets_grouped(*where: sa.ColumnElement[bool]) -> sa.Select:
    """The kept rows of the packets that meet `where` (a few packets, named by their ids),
    grouped as grouped() groups the sums: what each packet adds is read as kept, not worked out
    again from its form."""
    return _grouped(P, sa.func.count(), *where)


def by_category_and_recommender(*where: sa.ColumnElement[bool]) -> sa.Select:
    """The kept sums that meet `where` per category, kind, district, industry, age band and
    recommending organization (none: NULL), as portal.recommendations.dashboard reads them."""
    keys = (S.category_id, S.kind, _place(S.district_id).label("district_id"),
            _place(S.industry_id).label("industry_id"), S.band.label("band"),
            _place(S.recommender_id).label("recommender_id"))  # fmt: skip
    added = [sa.func.sum(getattr(S, name)).label(name) for name in ("packets", *SHARES)]
    return sa.select(*keys, *added).where(*where).group_by(*keys).having(sa.func.sum(S.packets) > 0)
