"""Every campaign settings page saves unchanged what it shows: the page is loaded, its form is
posted back exactly as a browser would send it untouched, and the reloaded page and the
campaign hold the same values."""

from __future__ import annotations

from decimal import Decimal

import lxml.html
import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.campaigns.models import CampaignStatus, QuotaRule
from portal.organizations.models import District, Industry
from portal.reference import seed_reference
from tests.factories import make_campaign, make_user

PAGES = ("settings", "categories", "stages", "rubric")


def form_values(html: str) -> list[tuple[str, str]]:
    """The name/value pairs a browser submits for the page's form as shown (unchecked boxes
    and buttons left out), in document order."""
    forms = lxml.html.fromstring(html).xpath("//main//form[@method='post']")
    assert len(forms) == 1
    return forms[0].form_values()


def _campaign_figures(campaign) -> dict:
    return {
        "settings": (
            campaign.year,
            campaign.theme,
            campaign.application_deadline,
            campaign.recommendation_deadline,
            campaign.review_deadline,
            campaign.reference_date,
            campaign.notice_working_days,
            list(campaign.allowed_file_types),
            campaign.max_file_mb,
            campaign.experts_per_packet,
            campaign.aggregation_method,
            sorted(d.id for d in campaign.districts),
            sorted(i.id for i in campaign.industries),
        ),
        "categories": [
            (
                c.code,
                c.kind,
                c.quota,
                c.channel_quota,
                c.narrative_min_chars,
                c.narrative_max_chars,
                c.summary_max_chars,
                c.min_surveys,
                c.quota_rule,
                c.quota_share,
                c.quota_min,
                c.quota_max,
                c.quota_steps,
            )
            for c in campaign.categories
        ],
        "stages": [(s.position, s.system, s.name_zh) for s in campaign.stages],
        "rubric": [(r.code, r.kind, r.points, r.cap, r.description) for r in campaign.rubric],
    }


@pytest.mark.parametrize("page", PAGES)
def test_a_settings_page_saves_unchanged_what_it_shows(session, client, login, page):
    seed_reference(session)
    campaign = make_campaign(year=2097, status=CampaignStatus.DRAFT)
    campaign.districts = list(session.scalars(sa.select(District)))[:3]
    campaign.industries = list(session.scalars(sa.select(Industry)))[:2]
    for number, category in enumerate(campaign.categories):
        category.channel_quota = 3 + number  # not the default, so a blank would show
        category.summary_max_chars = 600 + number
    # One category of each computed quota rule, so that each of its fields is shown and sent.
    first, second = campaign.categories[:2]
    first.quota_rule, first.quota_share, first.quota_min, first.quota_max = (
        QuotaRule.PROPORTIONAL,
        Decimal("30"),
        2,
        5,
    )
    second.quota_rule, second.quota_steps = QuotaRule.STEPPED, [[1, 1], [5, 2], [10, 3]]
    session.flush()
    login(make_user(Role.OFFICE))
    before = _campaign_figures(campaign)
    url = f"/office/campaigns/{campaign.id}/{page}"

    shown = form_values(client.get(url).get_data(as_text=True))
    response = client.post(url, data=_as_multidict(shown))

    assert response.status_code == 302, response.get_data(as_text=True)
    session.expire_all()
    assert form_values(client.get(url).get_data(as_text=True)) == shown
    assert _campaign_figures(campaign) == before


def test_the_categories_page_shows_each_quota_per_channel(session, client, login):
    campaign = make_campaign(year=2098, status=CampaignStatus.DRAFT)
    campaign.categories[0].channel_quota = 4
    campaign.categories[1].channel_quota = 6
    session.flush()
    login(make_user(Role.OFFICE))
    shown = dict(form_values(client.get(f"/office/campaigns/{campaign.id}/categories").text))
    assert shown["rows-0-channel_quota"] == "4"
    assert shown["rows-1-channel_quota"] == "6"


def test_the_office_sets_each_categorys_summary_limit_on_the_categories_page(
    session, client, login
):
    campaign = make_campaign(year=2099, status=CampaignStatus.DRAFT)
    login(make_user(Role.OFFICE))
    url = f"/office/campaigns/{campaign.id}/categories"
    shown = form_values(client.get(url).text)
    assert dict(shown)["rows-0-summary_max_chars"] == "800"
    changed = [(k, "500" if k == "rows-0-summary_max_chars" else v) for k, v in shown]
    assert client.post(url, data=_as_multidict(changed)).status_code == 302
    session.expire_all()
    assert [c.summary_max_chars for c in campaign.categories] == [500, 800]


def _as_multidict(pairs: list[tuple[str, str]]):
    from werkzeug.datastructures import MultiDict

    return MultiDict(pairs)
