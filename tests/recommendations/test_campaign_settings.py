"""The campaign data the recommendation uses: the per-channel quota and the balance targets."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from portal.accounts.models import Role
from portal.campaigns import service as campaigns
from portal.campaigns.service import CampaignInvalid, CampaignSettings
from portal.campaigns.structure import CategoryRow, update_categories
from tests.factories import make_campaign, make_user


def test_a_category_defaults_to_ten_per_channel_and_the_office_changes_it(session):
    campaign = make_campaign(year=2040)
    assert [c.channel_quota for c in campaign.categories] == [10, 10]
    rows = [
        CategoryRow(
            id=c.id,
            code=c.code,
            kind=c.kind,
            name_zh=c.name_zh,
            name_en=c.name_en,
            quota=c.quota,
            narrative_min_chars=c.narrative_min_chars,
            narrative_max_chars=c.narrative_max_chars,
            min_surveys=c.min_surveys,
            channel_quota=q,
        )
        for c, q in zip(campaign.categories, (3, 5), strict=True)
    ]
    office = make_user(Role.OFFICE)
    update_categories(session, office, campaign, rows)
    assert [c.channel_quota for c in campaign.categories] == [3, 5]
    with pytest.raises(CampaignInvalid) as caught:
        update_categories(session, office, campaign, [replace(rows[0], channel_quota=-1)])
    assert "quota" in caught.value.problems


def test_balance_targets_are_percentages_kept_with_the_campaign_and_its_copy(session):
    campaign = make_campaign(year=2041)
    office = make_user(Role.OFFICE)
    settings = CampaignSettings.of(campaign)
    assert (settings.target_women_share, settings.target_young_share) == (None, None)
    bad = replace(settings, target_women_share=Decimal("101"), district_ids=[1], industry_ids=[1])
    with pytest.raises(CampaignInvalid) as caught:
        campaigns.update_settings(session, office, campaign, bad)
    assert "target_women_share" in caught.value.problems
    good = replace(bad, target_women_share=Decimal("50"), target_young_share=Decimal("60"))
    campaigns.update_settings(session, office, campaign, good)
    assert (campaign.target_women_share, campaign.target_young_share) == (50, 60)
    copy = campaigns.copy_campaign(session, office, campaign, 2042)
    assert (copy.target_women_share, copy.target_young_share) == (50, 60)
    assert [c.channel_quota for c in copy.categories] == [10, 10]
