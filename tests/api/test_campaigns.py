"""/api/v1/campaigns: drafts only for those who configure them, the rubric only for scorers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.accounts.models import Role
from portal.campaigns.models import CampaignStatus
from tests.api.helpers import api_get
from tests.factories import district, industry, make_campaign, make_user

SEE_DRAFTS = ("office", "organizer", "admin")
SEE_RUBRIC = ("office", "organizer", "admin", "expert")
ROLES = ("enterprise", "channel_reviewer", "office", "organizer", "expert", "admin")


@pytest.fixture
def campaigns(session):
    return {
        2025: make_campaign(2025, CampaignStatus.CLOSED),
        2026: make_campaign(
            2026,
            CampaignStatus.OPEN,
            districts=[district("huangpu"), district("xuhui")],
            industries=[industry("finance"), industry("railway")],
        ),
        2027: make_campaign(2027, CampaignStatus.DRAFT),
    }


@pytest.mark.parametrize("role", ROLES)
def test_drafts_are_listed_and_opened_only_by_office_organizer_admin(client, campaigns, role):
    user = make_user(Role(role))
    listed = api_get(client, "/api/v1/campaigns", user).get_json()
    years = [row["year"] for row in listed["data"]]
    assert years == ([2027, 2026, 2025] if role in SEE_DRAFTS else [2026, 2025])
    assert listed["meta"]["total"] == len(years)
    draft = api_get(client, f"/api/v1/campaigns/{campaigns[2027].id}", user)
    assert draft.status_code == (200 if role in SEE_DRAFTS else 404)
    assert api_get(client, f"/api/v1/campaigns/{campaigns[2026].id}", user).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_rubric_only_for_office_organizer_admin_and_experts(client, campaigns, role):
    user = make_user(Role(role))
    detail = api_get(client, f"/api/v1/campaigns/{campaigns[2026].id}", user).get_json()
    listed = api_get(client, "/api/v1/campaigns?year=2026", user).get_json()["data"][0]
    if role in SEE_RUBRIC:
        assert [item["code"] for item in detail["rubric"]][:6] == [
            "idea",
            "standards",
            "skills",
            "innovation",
            "results",
            "impact",
        ]
        assert listed["rubric"] == detail["rubric"]
    else:
        assert "rubric" not in detail
        assert "rubric" not in listed


def test_draft_is_hidden_like_a_missing_campaign(client, campaigns):
    user = make_user(Role.ENTERPRISE)
    response = api_get(client, f"/api/v1/campaigns/{campaigns[2027].id}?lang=en", user)
    assert response.get_json() == {
        "error": {
            "code": "not_found",
            "message": f"There is no campaign with the id {campaigns[2027].id}.",
        }
    }


def test_campaign_in_full(client, campaigns):
    campaign = campaigns[2026]
    body = api_get(client, f"/api/v1/campaigns/{campaign.id}", make_user(Role.EXPERT)).get_json()
    rubric = body.pop("rubric")
    assert body == {
        "id": campaign.id,
        "year": 2026,
        "theme": "质量激发工匠精神 满意引领服务升级",
        "status": "open",
        "deadlines": {
            "application": "2026-11-10T17:00:00+08:00",
            "recommendation": "2026-11-15T17:00:00+08:00",
            "review": "2026-11-25T17:00:00+08:00",
        },
        "reference_date": "2026-11-10",
        "notice_working_days": 5,
        "categories": [
            {
                "code": "team",
                "kind": "team",
                "name_zh": "班组",
                "name_en": "Team",
                "quota": 100,
                "narrative_min_chars": 2000,
                "narrative_max_chars": 3000,
                "min_surveys": 30,
            },
            {
                "code": "individual",
                "kind": "individual",
                "name_zh": "个人",
                "name_en": "Individual",
                "quota": 100,
                "narrative_min_chars": 1500,
                "narrative_max_chars": 2500,
                "min_surveys": 20,
            },
        ],
        "stages": [
            {
                "position": 0,
                "system": "union",
                "name_zh": "工会初评",
                "name_en": "Trade union review",
            },
            {
                "position": 1,
                "system": "youth",
                "name_zh": "团委初评",
                "name_en": "Youth league review",
            },
            {
                "position": 2,
                "system": "women",
                "name_zh": "妇联初评",
                "name_en": "Women's federation review",
            },
            {
                "position": 3,
                "system": "quality",
                "name_zh": "质协推荐",
                "name_en": "Quality association recommendation",
            },
            {
                "position": 4,
                "system": "office",
                "name_zh": "办公室形式审查",
                "name_en": "Programme office formal check",
            },
        ],
        "districts": ["huangpu", "xuhui"],
        "industries": ["finance", "railway"],
        "attachments": {
            "allowed_file_types": ["pdf", "jpeg", "png", "docx", "xlsx"],
            "max_file_mb": 20,
            "max_packet_mb": 100,
            "max_files": 20,
        },
    }
    assert len(rubric) == 14
    assert rubric[0] == {
        "code": "idea",
        "kind": "criterion",
        "name_zh": "服务理念与文化",
        "name_en": "Service ideas and culture",
        "description": "",
        "points": 15,
        "cap": None,
    }
    by_code = {item["code"]: item for item in rubric}
    assert (by_code["praise_letter"]["points"], by_code["praise_letter"]["cap"]) == (2, 10)
    assert (by_code["complaint"]["kind"], by_code["complaint"]["points"]) == ("deduction", 5)
    assert sum(i["points"] for i in rubric if i["kind"] == "criterion") == 100


def test_deadlines_keep_the_shanghai_offset_whatever_was_stored(client, session):
    campaign = make_campaign(
        2028,
        application_deadline=datetime(2028, 11, 10, 15, 59, 59, tzinfo=UTC),
    )
    body = api_get(client, f"/api/v1/campaigns/{campaign.id}", make_user(Role.OFFICE)).get_json()
    assert body["deadlines"]["application"] == "2028-11-10T23:59:59+08:00"


def test_filters_by_status_and_year_and_pages(client, campaigns):
    office = make_user(Role.OFFICE)

    def years(query: str) -> list[int]:
        body = api_get(client, f"/api/v1/campaigns?{query}", office).get_json()
        return [row["year"] for row in body["data"]]

    assert years("status=draft") == [2027]
    assert years("status=closed") == [2025]
    assert years("year=2026") == [2026]
    assert years("year=2030") == []
    assert years("per_page=2&page=2") == [2025]
    page = api_get(client, "/api/v1/campaigns?per_page=2", office).get_json()
    assert page["meta"] == {"page": 1, "per_page": 2, "total": 3, "pages": 2}
    enterprise = make_user(Role.ENTERPRISE)
    body = api_get(client, "/api/v1/campaigns?status=draft", enterprise).get_json()
    assert body == {"data": [], "meta": {"page": 1, "per_page": 20, "total": 0, "pages": 0}}
