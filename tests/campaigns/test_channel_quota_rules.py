"""The office sets a category's channel quota rule on the categories page: a share of the
packets received, or steps by the number of units; a rule that cannot compute is refused."""

from __future__ import annotations

from decimal import Decimal

from portal.accounts.models import Role
from portal.campaigns.models import CampaignStatus, QuotaRule
from tests.accounts.helpers import english, text
from tests.campaigns.test_round_trip import _as_multidict, form_values
from tests.factories import make_campaign, make_user


def _post(client, url, **changes):
    shown = form_values(client.get(url).text)
    sent = [(k, changes.get(k.removeprefix("rows-0-"), v)) for k, v in shown]
    return client.post(url, data=_as_multidict(sent), follow_redirects=True)


def test_the_office_sets_a_proportional_and_a_stepped_quota(session, client, login):
    campaign = make_campaign(year=2096, status=CampaignStatus.DRAFT)
    login(make_user(Role.OFFICE))
    url = f"/office/campaigns/{campaign.id}/categories"
    _post(client, url, quota_rule="proportional", quota_share="30", quota_min="1", quota_max="5")
    session.expire_all()
    team = campaign.categories[0]
    assert (team.quota_rule, team.quota_share, team.quota_min, team.quota_max) == (
        QuotaRule.PROPORTIONAL,
        Decimal("30.00"),
        1,
        5,
    )
    _post(client, url, quota_rule="stepped", quota_steps="1:1，5:2; 10:3")
    session.expire_all()
    assert (team.quota_rule, team.quota_steps) == (QuotaRule.STEPPED, [[1, 1], [5, 2], [10, 3]])
    assert dict(form_values(client.get(url).text))["rows-0-quota_steps"] == "1:1, 5:2, 10:3"


def test_a_quota_rule_that_cannot_compute_is_refused(session, client, login):
    campaign = make_campaign(year=2095, status=CampaignStatus.DRAFT)
    login(make_user(Role.OFFICE))
    english(client)
    url = f"/office/campaigns/{campaign.id}/categories"
    page = text(_post(client, url, quota_rule="proportional", quota_share=""))
    assert "Category team gives a share of packets: fill in the share." in page
    page = text(_post(client, url, quota_rule="stepped", quota_steps="1-1"))
    assert 'Write the steps as "units:quota" pairs separated by commas' in page
    page = text(_post(client, url, quota_share="120"))
    assert "A share of packets received is a percentage above 0 and at most 100." in page
    page = text(_post(client, url, quota_min="4", quota_max="2"))
    assert "In category team the most places per channel is below the least." in page
    session.expire_all()
    assert campaign.categories[0].quota_rule is QuotaRule.FIXED


def test_the_refusal_is_in_chinese(session, client, login):
    campaign = make_campaign(year=2094, status=CampaignStatus.DRAFT)
    login(make_user(Role.OFFICE))
    url = f"/office/campaigns/{campaign.id}/categories"
    page = text(_post(client, url, quota_rule="stepped", quota_steps=""))
    assert "类别team按申报单位数分档确定名额，请填写分档。" in page
