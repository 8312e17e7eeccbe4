"""The balance sums kept as packets change (portal.recommendations.balance_kept) stay those of
the packets counted directly, through the moves that change what a packet adds: a recommendation
submitted, the formal check, a form completed, the list confirmed and reopened, an objection
upheld, a finding against a packet left off the list, the final list; and the pages that read
them print what the packets give counted one by one."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from portal import balance_counted, db
from portal.accounts.models import Role
from portal.applications.models import Application, ApplicationState
from portal.applications.workflow import fire
from portal.balance import balance_figures
from portal.campaigns.models import CategoryKind
from portal.db import get_session
from portal.honours import service as honours
from portal.notice.figures import candidate_figures
from portal.recommendations import balance_kept
from portal.recommendations import service as recommendations
from portal.recommendations.balance_kept import KEPT_STATES, BalanceSums
from portal.recommendations.models import Recommendation, RecommendationEntry
from portal.scoring.results import service as results
from portal.scoring.results.listing import results_page
from tests.balance.test_counted import _loaded
from tests.factories import district, industry, make_campaign, make_user
from tests.honours.helpers import PAST_NOTICE_OPENS
from tests.notice.helpers import open_notice
from tests.querycount import page_statements
from tests.recommendations.helpers import awaiting, quality_channel
from tests.scoring.helpers import office_user
from tests.scoring.results_helpers import category_of, four_scored_teams, make_expert, scored_packet
from tests.scoring.test_results_listing import balance

S = ApplicationState
A = Application


def direct() -> dict[tuple, tuple[int, ...]]:
    """Every group's sums counted from the packets themselves, keyed as balance_sums is."""
    submitted = (
        sa.select(
            RecommendationEntry.application_id,
            Recommendation.organization_id,
            Recommendation.campaign_id,
        )
        .join(Recommendation, Recommendation.id == RecommendationEntry.recommendation_id)
        .where(Recommendation.submitted_at.is_not(None))
        .subquery()
    )
    recommender = sa.case(
        (submitted.c.campaign_id == A.campaign_id, submitted.c.organization_id), else_=0
    )
    keys = (A.campaign_id, A.category_id, A.state, A.kind, balance_counted.age_band(),
            sa.func.coalesce(A.district_id, 0), sa.func.coalesce(A.industry_id, 0),
            sa.func.coalesce(recommender, 0))  # fmt: skip
    query = (
        sa.select(*keys, *balance_counted.sums())
        .outerjoin(submitted, submitted.c.application_id == A.id)
        .where(A.state.in_(KEPT_STATES))
        .group_by(*keys)
    )
    session = get_session()
    session.flush()
    return {tuple(map(str, r[:8])): tuple(map(int, r[8:])) for r in session.execute(query)}


def kept() -> dict[tuple, tuple[int, ...]]:
    session = get_session()
    session.flush()
    rows = session.scalars(sa.select(BalanceSums).where(BalanceSums.packets != 0))
    return {
        tuple(str(getattr(r, k)) for k in balance_kept.KEYS): (
            r.packets,
            *(getattr(r, k) for k in balance_kept.SHARES),
        )
        for r in rows
    }


def held() -> dict:
    found = kept()
    assert found == direct()
    return found


def test_the_sums_follow_recommendation_formal_check_and_completion(app):
    ch = quality_channel()
    teams = awaiting(ch, 3, members=4, women=1, average_age=Decimal("35.5"))
    people = awaiting(ch, 2, kind=CategoryKind.INDIVIDUAL, age=35, female=True)
    assert held() == {}  # nothing recommended yet
    session = get_session()
    submit = recommendations.submit_recommendation
    submit(session, ch.reviewer, ch.campaign, ch.team, [t.id for t in teams], "同意")
    submit(session, ch.reviewer, ch.campaign, ch.individual, [p.id for p in people], "同意")
    sums = held()
    assert {k[7] for k in sums} == {str(ch.organization.id)}  # the recommending channel's
    assert sum(v[0] for v in sums.values()) == 5
    office = office_user()
    fire(session, teams[0], S.ACCEPTED, office)
    fire(session, teams[1], S.REJECTED, office, reason="材料不全")
    fire(session, teams[2], S.INCOMPLETE, office, reason="补正")
    held()
    # Completed while returned: a new member list moves the figures and the age band.
    teams[2].member_count, teams[2].women_count, teams[2].average_age = 5, 3, Decimal("30.0")
    people[0].female, people[0].age = None, 56
    people[1].district, people[1].industry = district("xuhui"), industry("railway")
    sums = held()
    assert any(k[4] == "age_up_to_35" for k in sums) and any(k[4] == "age_over_55" for k in sums)
    unit = make_user(Role.ENTERPRISE, organization=teams[2].organization)
    fire(session, teams[2], S.RECOMMENDED, unit)
    held()


def _confirmed_list(quota: int = 2):
    campaign = make_campaign(year=2361)
    category, packets = four_scored_teams(
        campaign, quota, lambda n: dict(members=4 + n, women=n, average_age=Decimal(30 + 5 * n))
    )
    return campaign, category, packets


def _page_balance(category):
    return balance(results_page(get_session(), category, 1, 2).balance)


def _full_balance(category):
    return balance(results.category_results(get_session(), category).balance)


def test_the_sums_follow_the_list_confirmed_reopened_disqualified_and_awarded(app):
    campaign, category, packets = _confirmed_list()
    session = get_session()
    office = office_user()
    held()
    results.confirm_list(session, category.id, office)
    assert [p.state for p in packets] == [S.CANDIDATE] * 2 + [S.NOT_SELECTED] * 2
    held()
    assert _page_balance(category) == _full_balance(category)
    candidates = _loaded(session, sa.and_(A.campaign_id == campaign.id, A.state == S.CANDIDATE))
    assert balance(candidate_figures(session, campaign)) == balance(balance_figures(candidates))
    results.reopen_list(session, category.id, office, "名额调整")
    assert held() and candidate_figures(session, campaign).total == 0
    results.confirm_list(session, category.id, office)
    # An objection upheld withdraws a candidate; a finding disqualifies one left off the list.
    fire(session, packets[0], S.DISQUALIFIED, office, reason="异议属实")
    fire(session, packets[3], S.DISQUALIFIED, office, reason="材料造假")
    held()
    page = results_page(session, category, 1, 2)
    assert page.ranking.in_count == 2  # the withdrawn candidate is on the list by rank
    assert balance(page.balance) == _full_balance(category)
    assert candidate_figures(session, campaign).total == 1
    open_notice(campaign, opens_at=PAST_NOTICE_OPENS, office=office)
    honours.confirm_final_list(session, campaign, office)
    assert packets[1].state is S.AWARDED
    held()
    assert _page_balance(category) == _full_balance(category)


def test_refresh_counts_packets_written_past_the_unit_of_work(app):
    campaign, category, packets = _confirmed_list()
    session = get_session()
    ids = [p.id for p in packets]
    session.execute(sa.update(A).where(A.id.in_(ids[:2])).values(state=S.CANDIDATE))
    session.execute(sa.update(A).where(A.id.in_(ids[2:])).values(women_count=0))
    assert kept() != direct()  # a bulk write is not seen
    balance_kept.refresh(session, ids)
    held()
    balance_kept.refresh(session, ids)  # again: nothing moves
    held()


def test_refresh_counts_many_packets_a_chunk_at_a_time(app, monkeypatch):
    monkeypatch.setattr(db, "ID_CHUNK", 2)
    campaign, category, packets = _confirmed_list()
    session = get_session()
    session.execute(sa.delete(balance_kept.BalancePacket))
    session.execute(sa.delete(BalanceSums))
    balance_kept.refresh(session, [p.id for p in packets])
    assert sum(v[0] for v in held().values()) == 4


def _confirmed_statements(app, client, n: int, year: int) -> tuple[int, str]:
    """Statements of the results page of a confirmed list of n packets, all on it, and its
    page's text."""
    campaign = make_campaign(year=year)
    experts = [make_expert() for _ in range(2)]
    category = category_of(campaign)
    category.quota = n
    for k in range(n):
        scored_packet(campaign, experts, [80 + k, 70], members=3, women=k % 3)
    results.confirm_list(get_session(), category.id, office_user())
    get_session().commit()
    path = f"/scoring/results/categories/{category.id}"
    return page_statements(app, client, path), client.get(path).get_data(as_text=True)


def test_a_confirmed_list_s_page_sends_as_many_statements_for_many_packets_as_for_two(
    app, client, login
):
    login(make_user(Role.OFFICE))
    few, _ = _confirmed_statements(app, client, 2, 2362)
    many, body = _confirmed_statements(app, client, 12, 2363)
    assert few == many
    assert 'data-testid="in-count">12<' in body  # the candidates, from their kept sums
    assert 'data-testid="women-share">33.3%' in body  # 12 of 36 members
