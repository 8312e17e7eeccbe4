"""A channel's quota as a share of the packets it received, or by steps of the number of
units applying through it: computed (rounded down), shown on the ranking pages, enforced."""

from __future__ import annotations

from decimal import Decimal

import pytest

from portal.applications.models import ApplicationState
from portal.campaigns import quotas
from portal.campaigns.models import QuotaRule
from portal.recommendations import service
from portal.recommendations.errors import RankingError
from tests.accounts.helpers import english, text
from tests.factories import make_application
from tests.recommendations.helpers import awaiting, enterprise, quality_channel

S = ApplicationState


@pytest.mark.parametrize(
    ("share", "received", "minimum", "maximum", "expected"),
    [
        ("30", 14, 1, None, 4),  # 4.2 → 4
        ("30", 16, 1, None, 4),  # 4.8 → 4: rounded down, never up
        ("30", 10, 1, None, 3),  # exactly 3
        ("30", 2, 1, None, 1),  # 0.6 → 0, raised to the minimum
        ("30", 0, 0, None, 0),  # nothing received, no minimum
        ("30", 40, 1, 5, 5),  # 12 → capped at the maximum
        ("12.5", 8, 0, None, 1),  # exactly 1
    ],
)
def test_a_proportional_quota_is_rounded_down_then_held_between_its_bounds(
    share, received, minimum, maximum, expected
):
    assert quotas.proportional(Decimal(share), received, minimum, maximum).value == expected


@pytest.mark.parametrize(("units", "expected"), [(0, 0), (1, 1), (4, 1), (5, 2), (9, 2), (12, 3)])
def test_a_stepped_quota_takes_the_last_step_reached(units, expected):
    assert quotas.stepped([[10, 3], [1, 1], [5, 2]], units).value == expected


def test_steps_are_read_as_the_office_types_them_and_shown_the_same_way():
    assert quotas.parse_steps("1:1, 5：2；10:3") == [[1, 1], [5, 2], [10, 3]]
    assert quotas.steps_text([[10, 3], [1, 1]]) == "1:1, 10:3"
    assert quotas.parse_steps("") == []
    for bad in ("1-1", "a:2", "1:1, 1:2"):
        with pytest.raises(ValueError):
            quotas.parse_steps(bad)


def _proportional(ch, share="30", minimum=1, maximum=None):
    ch.team.quota_rule = QuotaRule.PROPORTIONAL
    ch.team.quota_share, ch.team.quota_min, ch.team.quota_max = Decimal(share), minimum, maximum


def _fourteen_received(ch):
    """14 packets received by the channel (10 awaiting ranking, 4 already ended or returned),
    plus a draft and another district's packet, which it did not receive."""
    apps = awaiting(ch, 10)
    unit = enterprise()
    for state in (S.RETURNED, S.NOT_RECOMMENDED, S.NOT_RECOMMENDED, S.RETURNED):
        make_application(state, campaign=ch.campaign, organization=unit)
    make_application(S.DRAFT, campaign=ch.campaign, organization=unit)
    other = quality_channel(campaign=ch.campaign, district_code="xuhui")
    awaiting(other, 3)
    return apps


def test_a_proportional_quota_is_enforced_on_the_server(session):
    ch = quality_channel()
    _proportional(ch)
    apps = _fourteen_received(ch)
    order = [a.id for a in apps[:5]]
    with pytest.raises(RankingError) as caught:
        service.submit_recommendation(session, ch.reviewer, ch.campaign, ch.team, order, "同意")
    assert caught.value.key == "over_quota"
    assert (caught.value.params["count"], caught.value.params["quota"]) == (5, 4)
    assert all(a.state is S.CHANNEL_APPROVED for a in apps)
    rec = service.submit_recommendation(
        session, ch.reviewer, ch.campaign, ch.team, order[:4], "同意"
    )
    assert [e.application_id for e in rec.entries] == order[:4]


def test_the_ranking_page_shows_the_proportional_quota_and_how_it_was_computed(
    client, login, session
):
    ch = quality_channel()
    _proportional(ch)
    _fourteen_received(ch)
    login(ch.reviewer)
    english(client)
    page = text(client.get(f"/recommendations/campaigns/{ch.campaign.id}/categories/{ch.team.id}"))
    assert 'data-testid="quota">4<' in page
    assert (
        'data-testid="quota-how">30% of 14 received = 4.2 → 4 (rounded down), at least 1<'
    ) in page
    overview = text(client.get("/recommendations/"))
    assert "30% of 14 received = 4.2 → 4 (rounded down), at least 1" in overview


def test_a_refusal_beyond_the_proportional_quota_is_in_chinese(client, login, session):
    ch = quality_channel()
    _proportional(ch, minimum=1, maximum=3)
    apps = _fourteen_received(ch)
    login(ch.reviewer)
    data = {f"rank-{a.id}": str(rank) for rank, a in enumerate(apps[:4], start=1)}
    data.update(opinion="同意", lock_version="0")
    path = f"/recommendations/campaigns/{ch.campaign.id}/categories/{ch.team.id}/submit"
    page = text(client.post(path, data=data))
    assert "您对4份申报进行了排序，本渠道在该类别中最多可推荐3份" in page
    assert "（收到14份的30% = 4.2 → 4（向下取整），按最多3份封顶）" in page
    assert all(a.state is S.CHANNEL_APPROVED for a in apps)


def test_a_stepped_quota_counts_the_units_applying_through_the_channel(client, login, session):
    ch = quality_channel()
    ch.team.quota_rule, ch.team.quota_steps = QuotaRule.STEPPED, [[1, 1], [3, 2], [6, 3]]
    # Three units; the first has two packets, one of them already not recommended.
    apps = awaiting(ch, 1) + awaiting(ch, 1) + awaiting(ch, 1)
    make_application(S.NOT_RECOMMENDED, campaign=ch.campaign, organization=apps[0].organization)
    with pytest.raises(RankingError) as caught:
        service.save_ranking(session, ch.reviewer, ch.campaign, ch.team, [a.id for a in apps])
    assert caught.value.params["quota"] == 2
    service.save_ranking(session, ch.reviewer, ch.campaign, ch.team, [a.id for a in apps[:2]])
    login(ch.reviewer)
    english(client)
    page = text(client.get(f"/recommendations/campaigns/{ch.campaign.id}/categories/{ch.team.id}"))
    assert 'data-testid="quota">2<' in page
    assert "3 units apply through this channel; from 3 units the quota is 2" in page


def test_a_fixed_quota_is_explained_as_fixed(client, login, session):
    ch = quality_channel()
    ch.team.channel_quota = 3
    awaiting(ch, 1)
    login(ch.reviewer)
    english(client)
    page = text(client.get(f"/recommendations/campaigns/{ch.campaign.id}/categories/{ch.team.id}"))
    assert 'data-testid="quota-how">fixed quota of 3 per channel<' in page


def test_the_refusal_explains_the_quota_in_the_readers_language(app):
    from flask_babel import force_locale

    from portal.refusals import Refusal, render

    how = quotas.proportional(Decimal("30"), 14, 1, None)
    refusal = Refusal("ranking.over_quota", {"count": 5, "quota": 4, "how": how})
    with app.test_request_context():
        with force_locale("en"):
            assert render(refusal) == (
                "You ranked 5 applications; your channel may recommend at most 4 in this "
                "category (30% of 14 received = 4.2 → 4 (rounded down), at least 1). Leave the "
                "rank empty for those you do not recommend."
            )
        with force_locale("zh_Hans_CN"):
            assert render(refusal) == (
                "您对5份申报进行了排序，本渠道在该类别中最多可推荐4份"
                "（收到14份的30% = 4.2 → 4（向下取整），最少1份）。不推荐的申报请将排序留空。"
            )
