"""Results from the database: locked sheets only, methods, quota, moves, confirm, reopen."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications.models import ApplicationState as S
from portal.audit import AuditEntry
from portal.campaigns.models import AggregationMethod, CategoryKind
from portal.scoring.errors import ResultsError
from portal.scoring.models import AssignmentStatus, SheetStatus
from portal.scoring.ranking import Direction
from portal.scoring.results import service as results
from portal.scoring.results.models import ListMove
from portal.scoring.results.service import ListStatus
from tests.factories import make_campaign, make_user
from tests.scoring.results_helpers import category_of, make_expert, scored_packet, sheet


@pytest.fixture
def campaign(session):
    c = make_campaign(year=2041, aggregation_method=AggregationMethod.MEAN)
    category_of(c).quota = 2
    session.flush()
    return c


@pytest.fixture
def experts(session):
    return [make_expert() for _ in range(5)]


@pytest.fixture
def office(session):
    return make_user(Role.OFFICE)


def team(campaign):
    return category_of(campaign)


def actions(session, prefix: str) -> list[AuditEntry]:
    query = sa.select(AuditEntry).where(AuditEntry.action.like(prefix + "%"))
    return list(session.scalars(query.order_by(AuditEntry.id)))


def row_of(data, app):
    return next(r for r in data.rows if r.application.id == app.id)


def test_only_locked_sheets_of_active_assignments_count(session, campaign, experts):
    app = scored_packet(campaign, experts[:2], [80, 90])
    sheet(app, experts[2], 10, status=SheetStatus.DRAFT)
    sheet(app, experts[3], 50, assignment_status=AssignmentStatus.WITHDRAWN)
    row = row_of(results.category_results(session, team(campaign)), app)
    assert row.score.totals == (D(90), D(80))
    assert row.score.score == D("85.00")
    # the draft sheet of an active assignment is still awaited; the withdrawn one is not
    assert row.pending_sheets == 1


def test_trimmed_mean_from_five_locked_sheets(session, campaign, experts):
    campaign.aggregation_method = AggregationMethod.TRIMMED_MEAN
    app = scored_packet(campaign, experts, [70, 80, 85, 90, 99])
    row = row_of(results.category_results(session, team(campaign)), app)
    assert row.score.score == D("85.00")
    assert row.score.dropped == (D(70), D(99))


def test_z_score_reads_each_experts_scale_across_the_whole_campaign(session, campaign):
    campaign.aggregation_method = AggregationMethod.Z_SCORE
    a, b, c = make_expert(), make_expert(), make_expert()
    p1 = scored_packet(campaign, [a, b], [80, 60])
    p2 = scored_packet(campaign, [a, b], [90, 70])
    # an individual packet: another category, same experts' scale
    scored_packet(campaign, [a, c], [70, 88], kind=CategoryKind.INDIVIDUAL)
    data = results.category_results(session, team(campaign))
    # expert a: 80, 90, 70 (mean 80, std 8.165); b: 60, 70 (mean 65, std 5); c: one sheet
    # p1: (0 + -1) / 2 = -0.5 → 45.00; p2: (1.2247 + 1) / 2 = 1.1124 → 61.12
    assert row_of(data, p1).score.score == D("45.00")
    assert row_of(data, p2).score.score == D("61.12")


def test_ranking_against_the_quota_and_balance_of_the_list(session, campaign, experts):
    first = scored_packet(campaign, experts[:3], [90, 92, 94], members=4, women=2)
    second = scored_packet(campaign, experts[:3], [88, 88, 88], members=6, women=1)
    third = scored_packet(campaign, experts[:3], [80, 85, 75], members=5, women=5)
    data = results.category_results(session, team(campaign))
    assert [r.application.id for r in data.rows] == [first.id, second.id, third.id]
    assert [r.ranked.in_list for r in data.rows] == [True, True, False]
    assert data.status is ListStatus.OPEN
    assert data.problems() == []
    # the list's balance: 2 + 1 women of 4 + 6 people = 30.0 %
    assert data.balance.total == 2
    assert data.balance.women_share == D("30.0")


def test_moving_a_packet_out_and_another_in_needs_a_reason_and_is_audited(
    session, campaign, experts, office
):
    first = scored_packet(campaign, experts[:3], [90, 90, 90])
    second = scored_packet(campaign, experts[:3], [85, 85, 85])
    third = scored_packet(campaign, experts[:3], [80, 80, 80])
    with pytest.raises(ResultsError) as err:
        results.move_packet(session, team(campaign).id, second.id, Direction.OUT, office, "  ")
    assert err.value.key == "reason_required"

    results.move_packet(session, team(campaign).id, second.id, Direction.OUT, office, "投诉核实")
    results.move_packet(session, team(campaign).id, third.id, Direction.IN, office, "行业平衡")
    data = results.category_results(session, team(campaign))
    assert [p.application_id for p in data.ranking.in_list] == [first.id, third.id]
    moves = session.scalars(sa.select(ListMove).order_by(ListMove.id)).all()
    assert [(m.application_id, m.direction, m.reason) for m in moves] == [
        (second.id, Direction.OUT, "投诉核实"),
        (third.id, Direction.IN, "行业平衡"),
    ]
    entries = actions(session, "candidate_list.move")
    assert [(e.action, e.object_id, e.reason) for e in entries] == [
        ("candidate_list.move_out", str(second.id), "投诉核实"),
        ("candidate_list.move_in", str(third.id), "行业平衡"),
    ]
    assert entries[0].after["rank"] == 2

    # the same move again is refused and writes nothing
    with pytest.raises(ResultsError) as err:
        results.move_packet(session, team(campaign).id, third.id, Direction.IN, office, "again")
    assert err.value.key == "already_there"
    assert len(actions(session, "candidate_list.move")) == 2

    # moving it back where its rank puts it removes the standing move
    back = results.move_packet(session, team(campaign).id, third.id, Direction.OUT, office, "撤回")
    assert back is None
    assert session.scalar(sa.select(sa.func.count()).select_from(ListMove)) == 1
    assert len(actions(session, "candidate_list.move")) == 3


def test_a_packet_without_locked_sheets_cannot_be_moved_onto_the_list(
    session, campaign, experts, office
):
    unscored = scored_packet(campaign, [], [])
    with pytest.raises(ResultsError) as err:
        results.move_packet(session, team(campaign).id, unscored.id, Direction.IN, office, "why")
    assert err.value.key == "unscored_packet"


def test_confirm_fires_shortlist_and_leave_unselected_once(session, campaign, experts, office):
    apps = [scored_packet(campaign, experts[:3], [t, t, t]) for t in (95, 90, 85, 80)]
    done = results.confirm_list(session, team(campaign).id, office)
    assert done.candidates == (apps[0].id, apps[1].id)
    assert done.not_selected == (apps[2].id, apps[3].id)
    assert [a.state for a in apps] == [S.CANDIDATE, S.CANDIDATE, S.NOT_SELECTED, S.NOT_SELECTED]
    assert [e.object_id for e in actions(session, "application.shortlist")] == [
        str(apps[0].id),
        str(apps[1].id),
    ]
    assert len(actions(session, "application.leave_unselected")) == 2
    [entry] = actions(session, "candidate_list.confirm")
    assert entry.after["candidates"] == [apps[0].id, apps[1].id]
    assert entry.after["method"] == "mean"

    # a second confirmation (a double click) changes nothing
    with pytest.raises(ResultsError) as err:
        results.confirm_list(session, team(campaign).id, office)
    assert err.value.key == "already_confirmed"
    assert len(actions(session, "application.")) == 4
    assert len(actions(session, "candidate_list.confirm")) == 1


def test_confirm_is_refused_while_sheets_are_pending_or_over_the_quota(
    session, campaign, experts, office
):
    scored_packet(campaign, experts[:3], [90, 90, 90])
    second = scored_packet(campaign, experts[:3], [85, 85, 85])
    third = scored_packet(campaign, experts[:3], [80, 80, 80])
    draft = sheet(second, experts[3], 70, status=SheetStatus.DRAFT)
    with pytest.raises(ResultsError) as err:
        results.confirm_list(session, team(campaign).id, office)
    assert err.value.key == "sheets_pending"
    draft.status, draft.locked_at = SheetStatus.LOCKED, third.submitted_at
    results.move_packet(session, team(campaign).id, third.id, Direction.IN, office, "平衡")
    with pytest.raises(ResultsError) as err:
        results.confirm_list(session, team(campaign).id, office)
    assert err.value.key == "over_quota"
    assert third.state is S.ACCEPTED


def test_reopen_sends_the_list_back_to_expert_review_with_a_reason(
    session, campaign, experts, office
):
    apps = [scored_packet(campaign, experts[:3], [t, t, t]) for t in (95, 90, 85)]
    with pytest.raises(ResultsError) as err:
        results.reopen_list(session, team(campaign).id, office, "复核")
    assert err.value.key == "not_confirmed"
    results.confirm_list(session, team(campaign).id, office)
    with pytest.raises(ResultsError) as err:
        results.reopen_list(session, team(campaign).id, office, "")
    assert err.value.key == "reason_required"

    assert results.reopen_list(session, team(campaign).id, office, "专家复核分差") == 3
    assert [a.state for a in apps] == [S.ACCEPTED] * 3
    reopened = actions(session, "application.reopen_ranking")
    assert [e.reason for e in reopened] == ["专家复核分差"] * 3
    assert results.category_results(session, team(campaign)).status is ListStatus.OPEN
    # and it can be confirmed again
    assert len(results.confirm_list(session, team(campaign).id, office).candidates) == 2


def test_a_partly_confirmed_list_must_be_reopened_first(session, campaign, experts, office):
    scored_packet(campaign, experts[:3], [90, 90, 90])
    results.confirm_list(session, team(campaign).id, office)
    scored_packet(campaign, experts[:3], [99, 99, 99])  # accepted later
    data = results.category_results(session, team(campaign))
    assert data.status is ListStatus.MIXED
    with pytest.raises(ResultsError) as err:
        results.confirm_list(session, team(campaign).id, office)
    assert err.value.key == "partly_confirmed"


def test_a_list_the_notice_acted_on_cannot_be_reopened(session, campaign, experts, office):
    app = scored_packet(campaign, experts[:3], [90, 90, 90])
    results.confirm_list(session, team(campaign).id, office)
    app.state = S.AWARDED
    session.flush()
    with pytest.raises(ResultsError) as err:
        results.reopen_list(session, team(campaign).id, office, "复核")
    assert err.value.key == "notice_started"
