"""Following a case: the number cannot be guessed, and lookups are throttled in the database
per network address and per case number, on the page and through the API."""

from __future__ import annotations

import pytest

from portal.notice import objections
from portal.notice.errors import NoticeError
from tests.notice.helpers import objection, open_now

RIGHT_MOBILE = "13800138000"


def _guess(n: int) -> str:
    return f"YY2026-AAAA-AAAA-AAAA-{n:04d}".replace("0", "A").replace("1", "B")


def _page(client, case, mobile, addr):
    return client.post(
        "/notice/objections/status",
        data={"case": case, "mobile": mobile},
        environ_base={"REMOTE_ADDR": addr},
    )


def _api(client, case, mobile, addr, lang="en"):
    return client.get(
        "/api/v1/notice/objections/status",
        query_string={"case": case, "mobile": mobile, "lang": lang},
        environ_base={"REMOTE_ADDR": addr},
    )


@pytest.fixture
def limits(app):
    app.config.update(NOTICE_LOOKUPS_PER_ADDRESS_HOUR=5, NOTICE_LOOKUPS_PER_CASE_HOUR=3)


def test_guessing_from_one_address_is_stopped_on_the_page(client, session, limits):
    campaign, notice, apps = open_now()
    case = objection(notice, apps[0])
    for n in range(5):
        page = _page(client, _guess(n), RIGHT_MOBILE, "10.0.0.1")
        assert page.status_code == 200
        assert "No case matches" in page.get_data(as_text=True)
    refused = _page(client, case.case_number, RIGHT_MOBILE, "10.0.0.1")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Too many case lookups have come from this network" in html
    assert int(refused.headers["Retry-After"]) in range(1, 3601)
    assert 'data-testid="case-status"' not in html
    # The objector on another network still follows the case.
    found = _page(client, case.case_number, RIGHT_MOBILE, "10.0.0.2")
    assert found.status_code == 200 and 'data-testid="case-status"' in found.get_data(as_text=True)


def test_guessing_from_one_address_is_stopped_through_the_api(client, session, limits):
    campaign, notice, apps = open_now()
    case = objection(notice, apps[0])
    assert [_api(client, _guess(n), RIGHT_MOBILE, "10.0.0.1").status_code for n in range(5)] == [
        404
    ] * 5
    refused = _api(client, case.case_number, RIGHT_MOBILE, "10.0.0.1")
    assert refused.status_code == 429
    error = refused.get_json()["error"]
    assert error["code"] == "too_many_requests"
    assert error["message"].startswith("Too many case lookups have come from this network")
    assert int(refused.headers["Retry-After"]) in range(1, 3601)
    chinese = _api(client, case.case_number, RIGHT_MOBILE, "10.0.0.1", lang="zh_Hans_CN")
    assert chinese.status_code == 429
    assert chinese.get_json()["error"]["message"].startswith("查询")
    assert _api(client, case.case_number, RIGHT_MOBILE, "10.0.0.2").status_code == 200


def test_page_and_api_share_one_count_per_address(client, session, limits):
    campaign, notice, apps = open_now()
    objection(notice, apps[0])
    for n in range(3):
        assert _page(client, _guess(n), RIGHT_MOBILE, "10.0.0.1").status_code == 200
        assert _api(client, _guess(10 + n), RIGHT_MOBILE, "10.0.0.1").status_code in (404, 429)
    assert _api(client, _guess(20), RIGHT_MOBILE, "10.0.0.1").status_code == 429


def test_guessing_the_mobile_of_one_case_from_many_addresses_is_stopped(client, session, limits):
    campaign, notice, apps = open_now()
    case = objection(notice, apps[0])
    for n in range(3):
        wrong = _api(client, case.case_number, f"1390013900{n}", f"10.0.1.{n}")
        assert wrong.status_code == 404
    # The number typed differently is the same case number and counts the same.
    spaced = case.case_number.lower().replace("-", " ")
    refused = _page(client, spaced, RIGHT_MOBILE, "10.0.1.9")
    assert refused.status_code == 429
    assert _api(client, case.case_number, RIGHT_MOBILE, "10.0.1.10").status_code == 429


def test_a_new_hour_opens_a_new_window(session, limits):
    from datetime import timedelta

    from portal.db import utcnow

    campaign, notice, apps = open_now()
    case = objection(notice, apps[0])
    now = utcnow()
    for _ in range(3):
        objections.lookup_case(session, case.case_number, RIGHT_MOBILE, ip="10.0.0.1", now=now)
    with pytest.raises(NoticeError) as refused:
        objections.lookup_case(session, case.case_number, RIGHT_MOBILE, ip="10.0.0.1", now=now)
    assert refused.value.key == "too_many_lookups"
    later = now + timedelta(hours=1)
    assert objections.lookup_case(session, case.case_number, RIGHT_MOBILE, now=later) is case
