"""Scoring benchmark: aggregation and ranking of 5,000 packets × 7 locked sheets.

Run by hand (not a test):  python bench/scoring_bench.py [--packets 5000] [--sheets 7]

Part 1 times the pure functions (portal.scoring.aggregation.aggregate and
portal.scoring.ranking.rank) on plain data, for each aggregation method. Part 2 writes the same
figures into a temporary SQLite database (two categories, one panel per industry, an active
assignment and a locked sheet per score) and times the results service as the results page
calls it: the statements that load sheets, packets, moves and pending counts, then the
computation, printed separately. Target: under 1 s for aggregation and ranking.
Times are CPU seconds of this process unless --clock wall is given.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.campaigns.models import AggregationMethod  # noqa: E402
from portal.scoring.aggregation import SheetTotal, aggregate, expert_scales  # noqa: E402
from portal.scoring.ranking import Entry, rank  # noqa: E402

# CPU time of this process by default: on a shared machine the wall clock mostly measures
# the other processes (SQLite runs in this process, so its work is counted).
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
clock = CLOCKS["cpu"]
EXPERTS = 80
QUOTA = 100
THRESHOLD = Decimal(20)


def make_scores(
    packets: int, sheets: int, seed: int = 7
) -> list[tuple[int, int, Decimal, Decimal]]:
    """(packet, expert, total, criteria): each packet scored by `sheets` distinct experts,
    criteria in half points around a packet's quality, a bonus now and then."""
    rng = random.Random(seed)
    rows = []
    for packet in range(1, packets + 1):
        quality = rng.uniform(60, 92)
        for expert in rng.sample(range(1, EXPERTS + 1), sheets):
            criteria = Decimal(round(min(100, max(0, rng.gauss(quality, 6))) * 2)) / 2
            bonus = Decimal(rng.choice((0, 0, 0, 2, 5, 20)))
            rows.append((packet, expert, criteria + bonus, criteria))
    return rows


def time_pure(scores, packets: int) -> None:
    sheets = [SheetTotal(*row) for row in scores]
    halves = {1: range(1, packets // 2 + 1), 2: range(packets // 2 + 1, packets + 1)}
    print(f"pure functions: {packets} packets, {len(sheets)} locked sheets, 2 categories")
    for method in AggregationMethod:
        start = clock()
        figures = aggregate(sheets, method, THRESHOLD)
        aggregated = clock()
        for ids in halves.values():
            rank([Entry(figures[i], None) for i in ids], QUOTA)
        ranked = clock()
        print(
            f"  {method.value:13} aggregate {1000 * (aggregated - start):7.1f} ms"
            f"  rank {1000 * (ranked - aggregated):6.1f} ms"
            f"  total {1000 * (ranked - start):7.1f} ms"
        )


def seed_database(session, scores, packets: int):
    """Campaign, enterprises, accepted packets, experts, panels, assignments, locked sheets."""
    import sqlalchemy as sa

    from portal.applications.models import Application, ApplicationState
    from portal.campaigns.models import CategoryKind
    from portal.db import utcnow
    from portal.organizations.models import Industry, Organization, OrgKind
    from portal.reference import seed_reference
    from portal.scoring.models import Assignment, Expert, Panel, ScoreSheet, SheetStatus
    from tests.factories import make_campaign, make_credit_code

    seed_reference(session)
    campaign = make_campaign(year=2099)
    campaign.aggregation_method = AggregationMethod.TRIMMED_MEAN
    industries = session.scalars(sa.select(Industry).order_by(Industry.position)).all()
    org = Organization(kind=OrgKind.OTHER, name="专家单位")
    session.add(org)
    session.flush()
    panels = [Panel(campaign=campaign, industry=i, name=f"{i.name_zh}评审组") for i in industries]
    session.add_all(panels)
    session.flush()
    now = utcnow()
    conn = session.connection()
    conn.execute(
        sa.insert(Expert),
        [{"name": f"专家{n}", "organization_id": org.id} for n in range(1, EXPERTS + 1)],
    )
    conn.execute(
        sa.insert(Organization),
        [
            {"kind": OrgKind.ENTERPRISE, "name": f"企业{n}", "credit_code": make_credit_code(n)}
            for n in range(1, 201)
        ],
    )
    org_ids = session.scalars(
        sa.select(Organization.id).where(Organization.kind == OrgKind.ENTERPRISE)
    ).all()
    expert_ids = session.scalars(sa.select(Expert.id).order_by(Expert.id)).all()
    team, individual = (next(c for c in campaign.categories if c.kind is k) for k in CategoryKind)
    rows = []
    for n in range(1, packets + 1):
        category = team if n <= packets // 2 else individual
        rows.append(
            {
                "campaign_id": campaign.id,
                "category_id": category.id,
                "kind": category.kind,
                "organization_id": org_ids[n % len(org_ids)],
                "industry_id": industries[n % len(industries)].id,
                "state": ApplicationState.ACCEPTED,
                "submitted_at": now,
                "team_name": f"班组{n}" if category is team else None,
                "person_name": None if category is team else f"申报人{n}",
                "member_count": 5 if category is team else None,
                "women_count": n % 6 if category is team else None,
                "female": None if category is team else n % 2 == 0,
                "age": None if category is team else 25 + n % 35,
            }
        )
    conn.execute(sa.insert(Application), rows)
    app_ids = session.scalars(
        sa.select(Application.id)
        .where(Application.campaign_id == campaign.id)
        .order_by(Application.id)
    ).all()
    panel_of = {i + 1: panels[(i + 1) % len(panels)].id for i in range(packets)}
    conn.execute(
        sa.insert(Assignment),
        [
            {
                "campaign_id": campaign.id,
                "panel_id": panel_of[p],
                "application_id": app_ids[p - 1],
                "expert_id": expert_ids[e - 1],
            }
            for p, e, _t, _c in scores
        ],
    )
    assignment_ids = {
        (a, e): i
        for i, a, e in session.execute(
            sa.select(Assignment.id, Assignment.application_id, Assignment.expert_id).where(
                Assignment.campaign_id == campaign.id
            )
        )
    }
    conn.execute(
        sa.insert(ScoreSheet),
        [
            {
                "assignment_id": assignment_ids[app_ids[p - 1], expert_ids[e - 1]],
                "campaign_id": campaign.id,
                "application_id": app_ids[p - 1],
                "expert_id": expert_ids[e - 1],
                "status": SheetStatus.LOCKED,
                "criteria_points": c,
                "bonus_points": t - c,
                "total": t,
                "locked_at": now,
            }
            for p, e, t, c in scores
        ],
    )
    session.commit()
    return campaign, [team, individual]


def time_database(scores, packets: int) -> None:
    from portal import create_app
    from portal.db import Base, get_engine, get_session
    from portal.scoring.results import service as results
    from tests.querycount import counting

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
                "INSTANCE_PATH": tmp,
            }
        )
        with app.app_context():
            Base.metadata.create_all(get_engine())
            session = get_session()
            start = clock()
            campaign, categories = seed_database(session, scores, packets)
            print(f"\nSQLite: seeded {packets} packets and {len(scores)} sheets in "
                  f"{clock() - start:.1f} s")  # fmt: skip
            for method in AggregationMethod:
                campaign.aggregation_method = method
                session.commit()
                load = compute = service = 0.0
                statements = 0
                for category in categories:
                    session.expunge_all()
                    category = session.merge(category, load=True)
                    loaded, computed = _timed_parts(session, category)
                    load, compute = load + loaded, compute + computed
                    session.expunge_all()
                    category = session.merge(category, load=True)
                    with counting(session.connection()) as sent:
                        began = clock()
                        results.category_results(session, category)
                        service += clock() - began
                    statements += len(sent)
                print(
                    f"  {method.value:13} load {1000 * load:7.1f} ms"
                    f"  compute {1000 * compute:7.1f} ms"
                    f"  | category_results() {1000 * service:7.1f} ms,"
                    f" {statements} statements (2 categories)"
                )


def _timed_parts(session, category) -> tuple[float, float]:
    """The service's loading statements, then its computation, timed apart (the session is
    emptied before, so nothing comes from the identity map)."""
    import sqlalchemy as sa

    from portal.balance import balance_figures
    from portal.scoring.results import service as results
    from portal.scoring.results.models import ListMove

    campaign = category.campaign
    start = clock()
    apps = results.pool_applications(session, category.id)
    z = campaign.aggregation_method is AggregationMethod.Z_SCORE
    sheets = results.locked_sheet_totals(session, campaign.id, None if z else category.id)
    session.scalars(sa.select(ListMove).where(ListMove.category_id == category.id)).all()
    results.pending_sheet_counts(session, category.id)
    loaded = clock()
    ids = {a.id for a in apps}
    figures = aggregate(
        [s for s in sheets if s.application_id in ids],
        campaign.aggregation_method,
        campaign.score_spread_threshold,
        ids,
        scales=expert_scales(sheets) if z else None,
    )
    ranking = rank([Entry(figures[a.id], a.submitted_at) for a in apps], category.quota)
    by_id = {a.id: a for a in apps}
    balance_figures([by_id[p.application_id] for p in ranking.in_list])
    return loaded - start, clock() - loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packets", type=int, default=5000)
    parser.add_argument("--sheets", type=int, default=7)
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    print(f"clock: {args.clock}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    scores = make_scores(args.packets, args.sheets)
    time_pure(scores, args.packets)
    time_database(scores, args.packets)


if __name__ == "__main__":
    main()
