"""Bonus items are counted, not scored: a count above the item's limit, or counts that give
more bonus points than the rubric allows in all, are refused on the page and the API with
nothing saved; a saved sheet never totals more than the criteria's 100 plus that bonus."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from portal.db import get_session
from portal.scoring.models import ScoreSheet
from tests.api.helpers import auth_headers
from tests.scoring.helpers import assigned_sheet

FULL = {"idea": 15, "standards": 20, "skills": 15, "innovation": 15, "results": 25, "impact": 10}
REGULATOR_REFUSED = (
    "Enter how many times it applies, a whole number from 0 to 2 (20 points each time)."
)
TOO_MUCH_BONUS = "These counts give 90 bonus points; a sheet may give at most 50 in all."


def _counts(sheet_id: int) -> dict:
    sheet = get_session().get(ScoreSheet, sheet_id)
    get_session().refresh(sheet)
    return {line.rubric_item.code: line.count for line in sheet.items if line.count is not None}


def test_the_page_refuses_400_as_a_bonus_count_and_keeps_the_sheet(client, login):
    a = assigned_sheet()
    login(a.expert.user)
    url = f"/scoring/assignments/{a.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Bonus and deductions: enter how many times each applies, not points." in page
    assert "+20 points each time" in page and "at most 2 times" in page
    assert "at most 50 points in all" in page
    before = _counts(a.sheet.id)
    form = {f"item-{k}": str(v) for k, v in FULL.items()} | {"item-regulator": "400"}
    response = client.post(url + "/sheet", data=form | {"lock_version": "1"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert REGULATOR_REFUSED in text and 'value="400"' in text
    assert _counts(a.sheet.id) == before
    sheet = get_session().get(ScoreSheet, a.sheet.id)
    assert (sheet.total, sheet.bonus_points, sheet.lock_version) == (0, 0, 1)


def test_the_page_refuses_counts_above_the_rubrics_bonus_in_all(client, login):
    a = assigned_sheet()
    login(a.expert.user)
    form = {"item-regulator": "2", "item-contest_national": "1", "lock_version": "1"}
    response = client.post(f"/scoring/assignments/{a.id}/sheet", data=form)
    assert response.status_code == 422
    assert TOO_MUCH_BONUS in response.get_data(as_text=True)
    assert _counts(a.sheet.id)["regulator"] == 0


def test_the_api_refuses_400_as_a_bonus_count_and_keeps_the_sheet(client):
    a = assigned_sheet()
    url = f"/api/v1/scoring/sheets/{a.sheet.id}"
    headers = auth_headers(a.expert.user)
    items = {**FULL, "regulator": 400}
    response = client.put(url, json={"lock_version": 1, "items": items}, headers=headers)
    assert response.status_code == 422
    problems = response.get_json()["error"]["problems"]
    assert problems == {"regulator": REGULATOR_REFUSED}
    body = client.get(url, headers=headers).get_json()
    assert (body["total"], body["bonus_points"], body["lock_version"]) == (0, 0, 1)
    response = client.put(
        url,
        json={"lock_version": 1, "items": {"regulator": 2, "contest_national": 1}},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["problems"] == {"bonus": TOO_MUCH_BONUS}


def test_the_message_is_in_chinese_by_default(client):
    a = assigned_sheet()
    response = client.put(
        f"/api/v1/scoring/sheets/{a.sheet.id}",
        json={"lock_version": 1, "items": {"regulator": 400}},
        headers=auth_headers(a.expert.user) | {"Accept-Language": "zh-CN"},
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["problems"]["regulator"] == (
        "请填写适用的次数，0 到 2 之间的整数（每次 20 分）。"
    )


@pytest.mark.parametrize("regulator, national, media, letters", [(2, 1, 2, 5), (1, 0, 1, 5)])
def test_a_saved_sheet_never_passes_100_plus_the_bonus_cap(
    client, regulator, national, media, letters
):
    a = assigned_sheet()
    url = f"/api/v1/scoring/sheets/{a.sheet.id}"
    headers = auth_headers(a.expert.user)
    version, totals = 1, []
    for counts in itertools.product(
        range(regulator + 1), range(national + 1), (0, media), (0, letters)
    ):
        items = dict(
            zip(("regulator", "contest_national", "media", "praise_letter"), counts, strict=True)
        )
        response = client.put(
            url, json={"lock_version": version, "items": {**FULL, **items}}, headers=headers
        )
        assert response.status_code in (200, 422)
        if response.status_code == 200:
            version = response.get_json()["lock_version"]
            totals.append(Decimal(str(response.get_json()["total"])))
    assert max(totals) == Decimal("150") and all(t <= 150 for t in totals)


def test_the_limits_are_the_campaigns_own(client):
    a = assigned_sheet()
    campaign = a.sheet.campaign
    url = f"/api/v1/scoring/sheets/{a.sheet.id}"
    headers = auth_headers(a.expert.user)
    campaign.max_bonus = Decimal("20")
    regulator = next(r for r in campaign.rubric if r.code == "regulator")
    regulator.max_count = 3
    get_session().commit()
    items = {"regulator": 2}
    response = client.put(url, json={"lock_version": 1, "items": items}, headers=headers)
    assert response.get_json()["error"]["problems"] == {
        "bonus": "These counts give 40 bonus points; a sheet may give at most 20 in all."
    }
    campaign.max_bonus = None
    get_session().commit()
    items = {**FULL, "regulator": 3}
    response = client.put(url, json={"lock_version": 1, "items": items}, headers=headers)
    assert response.status_code == 200 and response.get_json()["total"] == 160
