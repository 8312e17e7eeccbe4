"""Each packet's figures kept for the results page (results.kept) stay those of its sheets
through the real moves: a sheet saved, locked and reopened, an assignment withdrawn and handed
on, sheets of many experts with half cents and the trimmed mean; on both databases."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from portal import db
from portal.applications.models import Application, ApplicationState
from portal.db import get_session
from portal.scoring import assignment as assigning
from portal.scoring import sheets
from portal.scoring.aggregation import TRIM_FROM
from portal.scoring.models import Assignment, AssignmentStatus, ScoreSheet, SheetStatus
from portal.scoring.results import kept
from portal.scoring.results.figures import POOL_STATES
from portal.scoring.results.models import FiguresSums, PacketFigures
from tests.factories import make_campaign
from tests.scoring import results_helpers as built
from tests.scoring.helpers import (
    FULL_SCORES,
    accepted,
    assigned_sheet,
    make_expert,
    office_user,
    panel_for,
)

CENT = Decimal("0.01")


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value(ROUND_HALF_UP))


def _mean_cents(values: list[Decimal]) -> int:
    return _cents((sum(values, Decimal(0)) / len(values)).quantize(CENT, ROUND_HALF_UP))


def counted(app_id: int) -> tuple | None:
    """The figures worked out in Python from the packet's sheets and assignments; None for a
    packet that has not reached expert review (or has left the results)."""
    session = get_session()
    if session.get(Application, app_id).state not in POOL_STATES:
        return None
    active = session.scalars(
        sa.select(Assignment).where(
            Assignment.application_id == app_id, Assignment.status == AssignmentStatus.ACTIVE
        )
    ).all()
    locked = [a.sheet for a in active if a.sheet is not None and a.sheet.locked]
    if not locked:
        return (0, len(active), None, None, None, None, ())
    totals = sorted(s.total for s in locked)
    trimmed = totals[1:-1] if len(totals) >= TRIM_FROM else totals
    return (
        len(locked),
        len(active) - len(locked),
        _cents(totals[-1]) - _cents(totals[0]),
        _mean_cents(totals),
        _mean_cents(trimmed),
        _mean_cents([s.criteria_points for s in locked]),
        tuple(_cents(t) for t in totals),
    )


def stored(app_id: int) -> tuple | None:
    session = get_session()
    session.flush()
    row = session.get(PacketFigures, app_id, populate_existing=True)
    if row is None:
        return None
    totals = tuple(sorted(int(c) for c in (row.locked_totals or "").split(",") if c))
    return (row.sheets, row.awaited, row.spread_cents, row.mean_cents, row.trimmed_cents,
            row.criteria_mean_cents, totals)  # fmt: skip


def counts(category_id: int) -> tuple[dict, dict]:
    """The category's counts as kept (FiguresSums), and as counted from its rows: packets and
    sheets awaited per state, scored or not."""
    session = get_session()
    session.flush()
    S, F = FiguresSums, PacketFigures
    kept_rows = session.execute(
        sa.select(S.state, S.unscored, S.packets, S.awaited).where(S.category_id == category_id)
    )
    direct = session.execute(
        sa.select(F.state, F.unscored, sa.func.count(), sa.func.sum(F.awaited))
        .where(F.category_id == category_id)
        .group_by(F.state, F.unscored)
    )
    return (
        {(r[0], r[1]): (r[2], r[3]) for r in kept_rows if r[2] or r[3]},
        {(r[0], r[1]): (r[2], r[3]) for r in direct},
    )


def test_a_sheet_counts_once_locked_and_no_longer_once_reopened(app):
    campaign = make_campaign(year=2351)
    a = assigned_sheet(make_expert("甲专家"), campaign, app=accepted(campaign))
    packet = a.application_id
    assert stored(packet) == counted(packet) == (0, 1, None, None, None, None, ())
    sheets.save_sheet(get_session(), None, a.expert, a.sheet, FULL_SCORES)
    assert stored(packet) == counted(packet)
    assert stored(packet)[:2] == (0, 1)  # saved, not locked: awaited
    sheets.lock_sheet(get_session(), a.expert.user, a.expert, a.sheet)
    figures = stored(packet)
    assert figures == counted(packet)
    assert figures[:2] == (1, 0) and figures[3] == _cents(a.sheet.total)
    kept_counts, direct = counts(a.application.category_id)
    assert kept_counts == direct == {(ApplicationState.ACCEPTED, False): (1, 0)}
    sheets.reopen_sheet(get_session(), office_user(), a.sheet, "创新项评分有误")
    assert stored(packet) == counted(packet)
    assert stored(packet)[:2] == (0, 1) and stored(packet)[3] is None
    kept_counts, direct = counts(a.application.category_id)
    assert kept_counts == direct == {(ApplicationState.ACCEPTED, True): (1, 1)}


def test_a_withdrawn_assignment_stops_counting_and_its_successor_is_awaited(app):
    campaign = make_campaign(year=2352)
    packet = accepted(campaign)
    first = assigned_sheet(make_expert("乙专家"), campaign, app=packet)
    second = assigned_sheet(make_expert("丙专家"), campaign, app=packet)
    sheets.save_sheet(get_session(), None, second.expert, second.sheet, FULL_SCORES)
    sheets.lock_sheet(get_session(), second.expert.user, second.expert, second.sheet)
    assert stored(packet.id)[:2] == (1, 1)
    assigning.withdraw(
        get_session(), first.expert.user, first.expert, first, "conflict", "曾在该单位任职"
    )
    assert stored(packet.id) == counted(packet.id)
    assert stored(packet.id)[:2] == (1, 0)
    third = make_expert("丁专家")
    panel_for(campaign, third)
    successor = assigning.reassign(get_session(), office_user(), first, third)
    assert successor.status is AssignmentStatus.ACTIVE
    assert stored(packet.id) == counted(packet.id)
    assert stored(packet.id)[:2] == (1, 1)
    kept_counts, direct = counts(packet.category_id)
    assert kept_counts == direct == {(ApplicationState.ACCEPTED, False): (1, 1)}


def test_many_sheets_keep_half_cents_and_the_trimmed_mean(app):
    campaign = make_campaign(year=2353)
    experts = [built.make_expert() for _ in range(6)]
    six = built.scored_packet(campaign, experts, [70, 80, 85, 90, 99, 84], criteria=82)
    two = built.scored_packet(campaign, experts[:2], [85.01, 85])
    half_down = built.scored_packet(campaign, experts[:3], [60, 75, 61.5])
    draft = built.sheet(built.scored_packet(campaign, experts[:1], [0]), experts[1], 50,
                        status=SheetStatus.DRAFT)  # fmt: skip
    for packet in (six, two, half_down, draft.application):
        assert stored(packet.id) == counted(packet.id)
    assert stored(six.id)[2:5] == (2900, 8467, 8475)  # spread, mean 84.67, trimmed 84.75
    assert stored(six.id)[6] == (7000, 8000, 8400, 8500, 9000, 9900)
    assert stored(two.id)[3] == 8501  # 85.005 rounds half up
    assert stored(two.id)[6] == (8500, 8501)
    assert stored(draft.application_id)[:2] == (1, 1)
    kept_counts, direct = counts(six.category_id)
    assert kept_counts == direct
    assert sum(packets for packets, _awaited in kept_counts.values()) == 4


def test_refresh_counts_sheets_written_past_the_unit_of_work(app):
    campaign = make_campaign(year=2354)
    experts = [built.make_expert() for _ in range(2)]
    packet = built.scored_packet(campaign, experts, [90, 80])
    session = get_session()
    session.execute(
        sa.update(ScoreSheet)
        .where(ScoreSheet.application_id == packet.id)
        .values(total=Decimal("70.00"))
    )
    assert stored(packet.id) != counted(packet.id)  # a bulk write is not seen
    kept.refresh(session, [packet.id])
    assert stored(packet.id) == counted(packet.id)
    assert stored(packet.id)[3] == 7000
    assert stored(packet.id)[6] == (7000, 7000)
    kept_counts, direct = counts(packet.category_id)
    assert kept_counts == direct  # counted again, not twice


def test_a_packet_has_a_row_while_it_is_in_its_category_s_results(app):
    campaign = make_campaign(year=2355)
    session = get_session()
    packet = accepted(campaign)
    assert stored(packet.id) == counted(packet.id) == (0, 0, None, None, None, None, ())
    row = session.get(PacketFigures, packet.id)
    assert (row.category_id, row.state, row.unscored) == (packet.category_id, packet.state, True)
    for state in (ApplicationState.CANDIDATE, ApplicationState.AWARDED):
        packet.state = state  # confirmed onto the list, then awarded: still in the results
        assert stored(packet.id) == counted(packet.id)
        assert session.get(PacketFigures, packet.id).state is state
        kept_counts, direct = counts(packet.category_id)
        assert kept_counts == direct == {(state, True): (1, 0)}
    packet.state = ApplicationState.REJECTED  # out of the results: its row goes
    assert stored(packet.id) is None and counted(packet.id) is None
    assert counts(packet.category_id) == ({}, {})


def test_refresh_counts_many_packets_a_chunk_at_a_time(app, monkeypatch):
    monkeypatch.setattr(db, "ID_CHUNK", 2)
    campaign = make_campaign(year=2356)
    experts = [built.make_expert() for _ in range(2)]
    packets = [built.scored_packet(campaign, experts, [60 + n, 70]) for n in range(5)]
    session = get_session()
    ids = [p.id for p in packets]
    session.execute(sa.delete(PacketFigures).where(PacketFigures.application_id.in_(ids)))
    kept.refresh(session, ids)
    assert [stored(i) for i in ids] == [counted(i) for i in ids]
    assert all(stored(i) is not None for i in ids)
