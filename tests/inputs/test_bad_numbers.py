"""Numbers and bodies that once made the portal fail with a 500 now get a clear 4xx:
Unicode digits ('²' passes str.isdigit(), int() refuses it), integers beyond the database's
range in paths and queries, JSON bodies that are not objects, a tampered lock_version."""

from __future__ import annotations

import re
from datetime import date

import pytest

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.organizations.models import OrgSystem
from tests.api.helpers import auth_headers
from tests.applications.helpers import make_draft, make_id_number, make_submitted
from tests.factories import make_application, make_campaign, make_user
from tests.notice.helpers import objection, open_now
from tests.review.helpers import make_world
from tests.scoring.helpers import accepted, assigned_sheet, make_expert
from tests.statistics.helpers import channel, reviewer_of

HUGE = "99999999999999999999999"
BEYOND_BIGINT = "2421119654576634880"
BEYOND_INTEGER = str(2**31)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BABEL_DEFAULT_LOCALE": "en"}


def _page_refused(response, status: int, *texts: str):
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    html = response.get_data(as_text=True)
    for text in texts:
        assert text in html


def _api_refused(response, status: int, code: str):
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.get_json()["error"]["code"] == code
    return response.get_json()["error"]["message"]


# --- query parameters on pages ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "٣", BEYOND_BIGINT, HUGE, "-1", "1e3", "0"])
def test_every_kind_of_bad_page_number_is_a_400(client, value):
    response = client.get(f"/honours?page={value}")
    _page_refused(response, 400, "The parameter page must be a whole number from 1 to 2147483647.")


@pytest.mark.parametrize("value", ["²", BEYOND_BIGINT])
@pytest.mark.parametrize(
    ("role", "path", "name"),
    [
        (None, "/honours", "year"),
        (None, "/honours", "page"),
        (Role.OFFICE, "/honours/manage", "year"),
        (Role.OFFICE, "/honours/manage", "page"),
        (Role.OFFICE, "/office/audit", "page"),
        (Role.OFFICE, "/office/organizations/", "page"),
        (Role.ADMIN, "/office/users/", "page"),
        (Role.CHANNEL_REVIEWER, "/review/", "page"),
        (Role.CHANNEL_REVIEWER, "/review/", "campaign"),
        (Role.OFFICE, "/statistics/", "campaign"),
        (Role.OFFICE, "/scoring/results/", "campaign"),
        (Role.OFFICE, "/similarity/", "campaign"),
        (Role.OFFICE, "/notice/calendar", "year"),
        (Role.OFFICE, "/notice/manage/objections", "campaign"),
    ],
)
def test_a_bad_number_in_a_pages_query_is_a_400_that_says_so(
    client, login, role, path, name, value
):
    if role is not None:
        login(make_user(role))
    response = client.get(f"{path}?{name}={value}")
    _page_refused(response, 400, f"The parameter {name} must be a whole number from")


# --- query parameters on the API ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", BEYOND_BIGINT])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/campaigns?page={v}",
        "/api/v1/campaigns?year={v}",
        "/api/v1/organizations?per_page={v}",
        "/api/v1/applications?page={v}",
        "/api/v1/honours?year={v}",
    ],
)
def test_a_bad_number_in_an_api_query_is_a_json_400(client, path, value):
    headers = auth_headers(make_user(Role.OFFICE))
    response = client.get(path.format(v=value), headers=headers)
    message = _api_refused(response, 400, "invalid_parameter")
    assert "must be a whole number" in message


# --- identifiers in paths ------------------------------------------------------------------------


@pytest.mark.parametrize("number", [HUGE, BEYOND_BIGINT, BEYOND_INTEGER, "²", "٣"])
def test_every_kind_of_bad_identifier_is_a_404(client, number):
    _page_refused(client.get(f"/notice/{number}"), 404, "This page does not exist.")


@pytest.mark.parametrize("number", [HUGE, "²"])
@pytest.mark.parametrize(
    ("role", "path"),
    [
        (None, "/notice/{n}"),
        (None, "/notice/2026/candidates/{n}/objection"),
        (Role.OFFICE, "/honours/{n}/certificate"),
        (Role.OFFICE, "/applications/{n}"),
        (Role.OFFICE, "/review/applications/{n}"),
        (Role.OFFICE, "/office/organizations/{n}/edit"),
        (Role.OFFICE, "/scoring/results/categories/{n}"),
        (Role.OFFICE, "/campaigns/{n}"),
        (Role.OFFICE, "/statistics/{n}"),
    ],
)
def test_an_identifier_beyond_the_database_range_is_a_404_page(client, login, role, path, number):
    if role is not None:
        login(make_user(role))
    response = client.get(path.format(n=number))
    _page_refused(response, 404, "This page does not exist.")


@pytest.mark.parametrize("number", [HUGE, BEYOND_INTEGER])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/campaigns/{n}",
        "/api/v1/organizations/{n}",
        "/api/v1/applications/{n}",
        "/api/v1/scoring/sheets/{n}",
    ],
)
def test_an_identifier_beyond_the_database_range_is_a_json_404(client, path, number):
    headers = auth_headers(make_user(Role.OFFICE))
    _api_refused(client.get(path.format(n=number), headers=headers), 404, "not_found")


@pytest.mark.parametrize("number", [int(BEYOND_INTEGER), int(BEYOND_BIGINT), 0, -1])
def test_a_campaign_id_beyond_the_range_in_a_new_packet_is_a_422(client, number):
    """The fuzzer's find on PostgreSQL: the id went to the database and overflowed there."""
    headers = auth_headers(make_user(Role.ENTERPRISE))
    response = client.post(
        "/api/v1/applications", json={"category": "team", "campaign_id": number}, headers=headers
    )
    _api_refused(response, 422, "invalid")
    assert "campaign_id" in response.get_json()["error"]["problems"]


@pytest.mark.parametrize("number", [HUGE, BEYOND_INTEGER])
def test_an_identifier_beyond_the_range_is_not_found_whatever_the_method(app, client, number):
    """Every `<int:>` route, with each method it takes: an unknown record is a 404, not a 405
    that tells the caller the method is wrong (werkzeug checks the method of a route whose path
    matched before it converts the number, so the number must fail to match the path)."""
    headers = auth_headers(make_user(Role.OFFICE))
    wrong = []
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        path = re.sub(r"<[^>]+>", number, rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            status = client.open(path, method=method, headers=headers).status_code
            if status == 405:
                wrong.append(f"{method} {rule.rule}")
    assert wrong == []


# --- digits in the application form ---------------------------------------------------------


def _patch(client, app, user, **body):
    return client.patch(
        f"/api/v1/applications/{app.id}",
        json={"lock_version": app.lock_version, **body},
        headers=auth_headers(user),
    )


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"honours": [{"title": "市级先进", "year": "20²0"}]}, "honours-0-year"),
        ({"honours": [{"title": "市级先进", "year": "²"}]}, "honours-0-year"),
        ({"members": [{"name": "张三", "id_number": "²" + "1" * 17}]}, "members-0-id_number"),
        (
            {"members": [{"name": "张三", "id_number": "3101011990010112²" }]},
            "members-0-id_number",
        ),
        (
            {"members": [{"name": "张三", "sex": "male", "birth_date": "1990-01-01",
                          "years_in_post": "²"}]},
            "members-0-years_in_post",
        ),
    ],
)  # fmt: skip
def test_unicode_digits_in_the_application_are_refused_by_the_api(client, body, problem):
    user = make_user(Role.ENTERPRISE)
    app = make_draft(user)
    response = _patch(client, app, user, **body)
    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    assert list(response.get_json()["error"]["problems"]) == [problem]


def test_unicode_digits_in_the_individual_id_number_are_refused(client):
    from portal.campaigns.models import CategoryKind

    user = make_user(Role.ENTERPRISE)
    app = make_draft(user, kind=CategoryKind.INDIVIDUAL)
    good = make_id_number(date(1990, 1, 1), female=True)
    response = _patch(client, app, user, fields={"id_number": "²" + good[1:]})
    assert response.status_code == 422
    assert "17 digits" in response.get_json()["error"]["problems"]["id_number"]


def test_unicode_digits_in_an_honour_year_are_refused_on_the_page(client, login):
    user = make_user(Role.ENTERPRISE)
    app = make_draft(user)
    login(user)
    data = {
        "lock_version": str(app.lock_version),
        "honours-0-title": "市级先进",
        "honours-0-year": "²⁰²⁰",
    }
    response = client.post(f"/applications/{app.id}/edit", data=data)
    _page_refused(response, 200, "Give the year with four digits, not in the future.")
    assert app.honours in (None, [])


@pytest.mark.parametrize("count", ["²", "٣", HUGE, "-1"])
def test_unicode_digits_in_a_bonus_count_are_refused(client, count):
    campaign = make_campaign(year=2332)
    expert = make_expert("丙接口专家", user=make_user(Role.EXPERT))
    assignment = assigned_sheet(expert, campaign, app=accepted(campaign))
    sheet = assignment.sheet
    response = client.put(
        f"/api/v1/scoring/sheets/{sheet.id}",
        json={"lock_version": sheet.lock_version, "items": {"praise_letter": count}},
        headers=auth_headers(expert.user),
    )
    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    assert "whole number from 0" in response.get_json()["error"]["problems"]["praise_letter"]


# --- JSON bodies that are not objects --------------------------------------------------------


NOT_OBJECTS = ['"x"', "[1]", "null", "{", "[" * 100_000]


@pytest.fixture
def targets(session):
    """One JSON-body endpoint of each API module, with a caller allowed to use it."""
    campaign = make_campaign(year=2333)
    expert = make_expert("丁接口专家", user=make_user(Role.EXPERT))
    sheet = assigned_sheet(expert, campaign, app=accepted(campaign)).sheet
    enterprise = make_user(Role.ENTERPRISE)
    draft = make_draft(enterprise)
    world = make_world()
    at_stage = make_application(campaign=world.campaign, stage_position=0)
    _campaign, notice, apps = open_now(year=2334)
    case = objection(notice, apps[0])
    return {
        "lock": ("POST", f"/api/v1/scoring/sheets/{sheet.id}/lock", expert.user),
        "save": ("PUT", f"/api/v1/scoring/sheets/{sheet.id}", expert.user),
        "reopen": ("POST", f"/api/v1/scoring/sheets/{sheet.id}/reopen", make_user(Role.OFFICE)),
        "patch": ("PATCH", f"/api/v1/applications/{draft.id}", enterprise),
        "create": ("POST", "/api/v1/applications", enterprise),
        "decide": (
            "POST",
            f"/api/v1/applications/{at_stage.id}/decisions",
            world.reviewer(OrgSystem.UNION),
        ),
        "objection": (
            "POST",
            f"/api/v1/notice/objections/{case.id}/decision",
            make_user(Role.OFFICE),
        ),
    }


@pytest.mark.parametrize("body", NOT_OBJECTS, ids=lambda b: b[:8])
@pytest.mark.parametrize(
    "endpoint", ["lock", "save", "reopen", "patch", "create", "decide", "objection"]
)
def test_a_json_body_that_is_not_an_object_is_a_400(client, targets, endpoint, body):
    method, path, user = targets[endpoint]
    response = client.open(
        path,
        method=method,
        data=body,
        headers={**auth_headers(user), "Content-Type": "application/json"},
    )
    message = _api_refused(response, 400, "bad_request")
    assert message == "Send a JSON object with the header 'Content-Type: application/json'."


@pytest.mark.parametrize(
    "endpoint", ["lock", "save", "reopen", "patch", "create", "decide", "objection"]
)
def test_a_nul_character_in_a_json_text_is_a_400_not_a_database_error(client, targets, endpoint):
    """PostgreSQL stores no NUL in a text: a reason, a field or a key holding one is refused
    before anything is written (the fuzzer found it in a reopened sheet's reason)."""
    method, path, user = targets[endpoint]
    for body in ({"reason": "a\u0000b"}, {"fields": {"team_name": "\u0000"}}, {"\u0000": 1}):
        response = client.open(path, method=method, json=body, headers=auth_headers(user))
        message = _api_refused(response, 400, "bad_request")
        assert message.startswith("A text in the body holds the NUL character")


# --- a tampered lock_version in the HTML forms -----------------------------------------------


@pytest.mark.parametrize("version", ["abc", "²", "1.5", HUGE])
def test_a_tampered_lock_version_on_the_edit_page_is_a_400(client, login, version):
    user = make_user(Role.ENTERPRISE)
    app = make_draft(user)
    login(user)
    data = {"lock_version": version, "narrative": "改过的材料"}
    response = client.post(f"/applications/{app.id}/edit", data=data)
    _page_refused(response, 400, "The form was damaged in transit.")
    assert app.narrative == ""


@pytest.mark.parametrize("version", ["abc", "²", "1.5", HUGE])
def test_a_tampered_lock_version_on_the_review_page_is_a_400(client, login, session, version):
    world = make_world()
    app = make_submitted(campaign=world.campaign)
    session.commit()
    login(world.reviewer(OrgSystem.UNION))
    response = client.post(
        f"/review/applications/{app.id}/decision",
        data={"decision": "forward", "opinion": "同意", "lock_version": version},
    )
    _page_refused(response, 400, "The form was damaged in transit.")
    session.refresh(app)
    assert (app.state, app.stage_position) == (ApplicationState.SUBMITTED, 0)


@pytest.mark.parametrize("version", ["abc", "²"])
def test_a_tampered_lock_version_on_the_statistics_form_is_a_400(client, login, version):
    from datetime import timedelta

    from portal.db import utcnow
    from portal.statistics.models import COUNT_NAMES

    deadline = utcnow() + timedelta(days=10)
    make_campaign(
        year=2734,
        application_deadline=deadline - timedelta(days=5),
        recommendation_deadline=deadline,
        review_deadline=deadline + timedelta(days=10),
    )
    login(reviewer_of(channel(OrgSystem.UNION, "huangpu")))
    data = dict.fromkeys(COUNT_NAMES, "1")
    data.update(
        contact_name="王敏",
        contact_phone="021-63210000",
        report_date="2026-11-12",
        lock_version=version,
        action="save",
    )
    response = client.post("/statistics/mine", data=data)
    _page_refused(response, 400, "The form was damaged in transit.")


# --- whole numbers in forms -----------------------------------------------------------------


@pytest.mark.parametrize("number", [HUGE, BEYOND_INTEGER, "٣"])
def test_a_packet_number_beyond_the_database_range_in_a_form_is_refused(client, login, number):
    from tests.scoring.helpers import make_panel

    campaign = make_campaign(year=2339)
    expert = make_expert("己接口专家")
    panel = make_panel(campaign, [expert])
    login(make_user(Role.OFFICE))
    response = client.post(
        f"/scoring/panels/{panel.id}/assign",
        data={"application_id": number, "expert_id": str(expert.id)},
        follow_redirects=True,
    )
    _page_refused(response, 200, "Choose a packet and an expert.")
