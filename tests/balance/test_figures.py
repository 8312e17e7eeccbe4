"""Balance figures against figures computed by hand."""

from __future__ import annotations

from decimal import Decimal

from portal.applications.models import ApplicationState
from portal.balance import AgeBand, age_band, balance_figures, percent, shortfalls
from portal.campaigns.models import CategoryKind
from tests.factories import district, industry, make_application, make_campaign, make_org

S = ApplicationState
TEAM, INDIVIDUAL = CategoryKind.TEAM, CategoryKind.INDIVIDUAL


def _enterprise(district_code, industry_code):
    from portal.organizations.models import OrgKind

    return make_org(
        OrgKind.ENTERPRISE, district=district(district_code), industry=industry(industry_code)
    )


def _packets(session):
    campaign = make_campaign(year=2031)
    huangpu = _enterprise("huangpu", "finance")
    xuhui = _enterprise("xuhui", "railway")
    apps = [
        # teams: 10 members/4 women aged 35.0; 5 members/5 women aged 35.5; 20/2 aged 56.0
        make_application(
            S.RECOMMENDED,
            campaign=campaign,
            organization=huangpu,
            kind=TEAM,
            members=10,
            women=4,
            average_age=Decimal("35.0"),
        ),
        make_application(
            S.RECOMMENDED,
            campaign=campaign,
            organization=huangpu,
            kind=TEAM,
            members=5,
            women=5,
            average_age=Decimal("35.5"),
        ),
        make_application(
            S.RECOMMENDED,
            campaign=campaign,
            organization=xuhui,
            kind=TEAM,
            members=20,
            women=2,
            average_age=Decimal("56.0"),
        ),
        # individuals: woman 29, man 45, woman 46, man of unknown age
        make_application(
            S.RECOMMENDED,
            campaign=campaign,
            organization=xuhui,
            kind=INDIVIDUAL,
            female=True,
            age=29,
        ),
        make_application(
            S.RECOMMENDED,
            campaign=campaign,
            organization=huangpu,
            kind=INDIVIDUAL,
            female=False,
            age=45,
        ),
        make_application(
            S.RECOMMENDED,
            campaign=campaign,
            organization=xuhui,
            kind=INDIVIDUAL,
            female=True,
            age=46,
        ),
        make_application(
            S.RECOMMENDED,
            campaign=campaign,
            organization=huangpu,
            kind=INDIVIDUAL,
            female=False,
            age=None,
        ),
    ]
    return apps


def test_share_of_women_counts_team_members_and_individuals_as_people(session):
    figures = balance_figures(_packets(session))
    # people: 10 + 5 + 20 team members + 4 individuals = 39; women: 4 + 5 + 2 + 2 = 13
    assert (figures.people, figures.women) == (39, 13)
    assert figures.women_share == Decimal("33.3")
    assert (figures.team_members, figures.team_women, figures.individual_women) == (35, 11, 2)
    assert figures.women_unknown == 0


def test_age_bands_put_teams_by_average_age_and_individuals_by_age(session):
    figures = balance_figures(_packets(session))
    assert figures.age_bands == {
        AgeBand.UP_TO_35: 2,  # team 35.0, individual 29
        AgeBand.FROM_36_TO_45: 2,  # team 35.5, individual 45
        AgeBand.FROM_46_TO_55: 1,  # individual 46
        AgeBand.OVER_55: 1,  # team 56.0
        AgeBand.UNKNOWN: 1,
    }
    # 2 young of the 6 packets with a known age
    assert figures.young_share == Decimal("33.3")
    assert figures.age_band_share(AgeBand.UP_TO_35) == Decimal("28.6")  # 2 of 7


def test_counts_by_district_industry_kind_and_system(session):
    apps = _packets(session)
    systems = {apps[0].id: "quality", apps[1].id: "quality", apps[2].id: "union"}
    figures = balance_figures(apps, channel_systems=systems)
    assert (figures.total, figures.teams, figures.individuals) == (7, 3, 4)
    assert [(c.item.code, c.count, c.share) for c in figures.by_district] == [
        ("huangpu", 4, Decimal("57.1")),
        ("xuhui", 3, Decimal("42.9")),
    ]
    assert [(c.item.code, c.count) for c in figures.by_industry] == [
        ("finance", 4),
        ("railway", 3),
    ]
    assert [(c.item, c.count) for c in figures.by_kind] == [(TEAM, 3), (INDIVIDUAL, 4)]
    assert [(c.item, c.count) for c in figures.by_system] == [
        ("quality", 2),
        ("union", 1),
        (None, 4),
    ]


def test_no_packets_give_zero_counts_and_no_shares():
    figures = balance_figures([])
    assert figures.total == 0
    assert figures.women_share is None and figures.young_share is None
    assert figures.by_district == ()
    assert shortfalls(figures, Decimal("50"), Decimal("60")) == []


def test_band_limits_and_rounding():
    assert [age_band(a) for a in (35, 36, 45, 46, 55, 56, None)] == [
        AgeBand.UP_TO_35,
        AgeBand.FROM_36_TO_45,
        AgeBand.FROM_36_TO_45,
        AgeBand.FROM_46_TO_55,
        AgeBand.FROM_46_TO_55,
        AgeBand.OVER_55,
        AgeBand.UNKNOWN,
    ]
    assert percent(1, 8) == Decimal("12.5")
    assert percent(1, 3) == Decimal("33.3")
    assert percent(2, 3) == Decimal("66.7")
    assert percent(1, 0) is None


def test_shortfalls_name_targets_not_reached(session):
    figures = balance_figures(_packets(session))  # women 33.3 %, young 33.3 %
    found = shortfalls(figures, Decimal("50"), Decimal("30"))
    assert [(s.target, s.wanted, s.reached) for s in found] == [
        ("women_share", Decimal("50"), Decimal("33.3"))
    ]
    assert shortfalls(figures, None, None) == []
    assert [s.target for s in shortfalls(figures, Decimal("33.3"), Decimal("33.4"))] == [
        "young_share"
    ]
