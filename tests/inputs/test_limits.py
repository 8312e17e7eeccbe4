"""Limits on what a request may carry: a body cap on everything but uploads, a length limit on
every free text, and birth dates and other dates within a working life."""

from __future__ import annotations

import time
from datetime import date

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.audit import AuditEntry
from portal.campaigns.models import CampaignStatus
from portal.limits import UPLOAD_ENDPOINTS
from portal.organizations.models import OrgSystem
from tests.api.helpers import auth_headers
from tests.applications.helpers import PDF, make_draft, make_id_number, make_submitted
from tests.factories import make_campaign, make_user
from tests.notice.helpers import objection, open_now
from tests.review.helpers import make_world
from tests.scoring.helpers import accepted, assigned_sheet, make_expert
from tests.statistics.helpers import file_all

MB = 1024 * 1024


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BABEL_DEFAULT_LOCALE": "en"}


def _audit_count(session) -> int:
    """Entries of saved packets (a token's use is audited too, and is not what counts here)."""
    query = sa.select(sa.func.count()).where(AuditEntry.action == "application.update")
    return session.scalar(query)


def _patch(client, app, user, **body):
    headers = auth_headers(user)  # issuing the token is audited: before the count
    return client.patch(
        f"/api/v1/applications/{app.id}",
        json={"lock_version": app.lock_version, **body},
        headers=headers,
    )


# --- the body cap --------------------------------------------------------------------------------


def test_a_30_mb_patch_is_refused_at_once_and_nothing_is_stored(client, session):
    user = make_user(Role.ENTERPRISE)
    app = make_draft(user)
    auth_headers(user)  # a first token, so the count below sees only the request's entries
    before = _audit_count(session)
    body = {
        "narrative": "叙" * (30 * MB // 3),
        "fields": {"service_content": "x" * 5 * MB, "customers_served": "y" * 5 * MB},
    }
    started = time.perf_counter()
    response = _patch(client, app, user, **body)
    elapsed = time.perf_counter() - started
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    assert elapsed < 5  # was 19.7 s, stored twice
    session.refresh(app)
    assert (app.narrative, app.service_content) == ("", None)
    assert _audit_count(session) == before


def test_a_large_form_post_gets_a_413_page_in_chinese(client, login, app):
    app.config["BABEL_DEFAULT_LOCALE"] = "zh_Hans_CN"
    user = make_user(Role.ENTERPRISE)
    draft = make_draft(user)
    login(user)
    data = {"lock_version": str(draft.lock_version), "narrative": "叙" * (3 * MB)}
    response = client.post(f"/applications/{draft.id}/edit", data=data)
    assert response.status_code == 413
    assert "请求超过 2 MB" in response.get_data(as_text=True)


def test_the_cap_is_configurable_and_uploads_are_not_held_to_it(client, app, session):
    app.config["MAX_BODY_BYTES"] = 64 * 1024
    user = make_user(Role.ENTERPRISE)
    draft = make_draft(user)
    big_pdf = PDF[:-6] + b"%" + b"0" * (200 * 1024) + b"\n%%EOF\n"
    response = client.put(
        f"/api/v1/applications/{draft.id}/files?category=evidence&filename=big.pdf",
        data=big_pdf,
        headers={**auth_headers(user), "Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)[:300]
    small_but_over = _patch(client, draft, user, narrative="叙" * 30_000)
    assert small_but_over.status_code == 413
    assert "0.0625 MB" in small_but_over.get_json()["error"]["message"]


def test_every_upload_endpoint_named_exists(app):
    assert set(app.view_functions) >= UPLOAD_ENDPOINTS


# --- free-text limits, on the API and on the pages ------------------------------------------------


@pytest.mark.parametrize(
    ("body", "problem", "message"),
    [
        ({"narrative": "叙" * 6001}, "narrative", "At most 6000 characters."),
        ({"fields": {"service_content": "x" * 10_001}}, "service_content", "At most 10000"),
        ({"fields": {"customers_served": "x" * 10_001}}, "customers_served", "At most 10000"),
        ({"fields": {"unit_opinion": "x" * 4001}}, "unit_opinion", "At most 4000 characters."),
        ({"fields": {"team_name": "x" * 201}}, "team_name", "At most 200 characters."),
        ({"members": [{"name": "x" * 65}]}, "members-0-name", "At most 64 characters."),
    ],
)
def test_an_application_text_over_its_limit_is_refused_by_the_api(
    client, session, body, problem, message
):
    user = make_user(Role.ENTERPRISE)
    app = make_draft(user)
    before = _audit_count(session)
    response = _patch(client, app, user, **body)
    assert response.status_code == 422
    assert message in response.get_json()["error"]["problems"][problem]
    assert _audit_count(session) == before


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("narrative", "叙" * 6001, "At most 6000 characters."),
        ("service_content", "x" * 10_001, "At most 10000 characters."),
        ("unit_opinion", "x" * 4001, "At most 4000 characters."),
    ],
)
def test_an_application_text_over_its_limit_is_refused_on_the_page(
    client, login, field, text, message
):
    user = make_user(Role.ENTERPRISE)
    app = make_draft(user)
    login(user)
    response = client.post(
        f"/applications/{app.id}/edit", data={"lock_version": str(app.lock_version), field: text}
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert getattr(app, field) in ("", None)


def test_a_narrative_within_the_cap_but_over_the_chinese_limit_is_kept_as_a_draft(client):
    user = make_user(Role.ENTERPRISE)
    app = make_draft(user)
    response = _patch(client, app, user, narrative="叙" * 3500)
    assert response.status_code == 200
    assert len(app.narrative) == 3500


def test_a_review_opinion_over_its_limit_is_refused_on_the_api_and_the_page(client, login, session):
    world = make_world()
    app = make_submitted(campaign=world.campaign)
    session.commit()
    reviewer = world.reviewer(OrgSystem.UNION)
    body = {"decision": "forward", "opinion": "意" * 2001, "lock_version": app.lock_version}
    response = client.post(
        f"/api/v1/applications/{app.id}/decisions", json=body, headers=auth_headers(reviewer)
    )
    assert response.status_code == 422
    assert response.get_json()["error"] == {
        "code": "opinion_too_long",
        "message": "Give the opinion in at most 2000 characters.",
    }
    login(reviewer)
    page = client.post(f"/review/applications/{app.id}/decision", data=body)
    assert page.status_code == 422
    assert "the opinion may have at most 2,000 characters" in page.get_data(as_text=True)
    session.refresh(app)
    assert app.stage_position == 0


def test_a_score_comment_and_a_reopening_reason_over_their_limits_are_refused(client, session):
    campaign = make_campaign(year=2335)
    expert = make_expert("戊接口专家", user=make_user(Role.EXPERT))
    sheet = assigned_sheet(expert, campaign, app=accepted(campaign)).sheet
    response = client.put(
        f"/api/v1/scoring/sheets/{sheet.id}",
        json={"lock_version": sheet.lock_version, "comment": "评" * 4001},
        headers=auth_headers(expert.user),
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["problems"]["comment"] == "At most 4000 characters."
    assert sheet.comment in ("", None)


def test_an_objection_reply_over_its_limit_is_refused_by_the_api(client, session):
    _campaign, notice, apps = open_now(year=2336)
    case = objection(notice, apps[0])
    session.commit()
    response = client.post(
        f"/api/v1/notice/objections/{case.id}/decision",
        json={"decision": "dismissed", "reply": "复" * 5001, "lock_version": case.lock_version},
        headers=auth_headers(make_user(Role.OFFICE)),
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "At most 5000 characters."
    assert response.get_json()["error"]["parameter"] == "reply"


def test_a_statistics_return_reason_over_its_limit_is_refused(client, login, session):
    from portal.statistics.models import ActivityStatistics, StatisticsState

    campaign = make_campaign(year=2737, status=CampaignStatus.CLOSED)
    table = file_all(campaign)["union-huangpu"]
    login(make_user(Role.OFFICE))
    response = client.post(
        f"/statistics/{table.id}/return", data={"reason": "改" * 2001}, follow_redirects=True
    )
    assert "at most 2000 characters" in response.get_data(as_text=True)
    assert session.get(ActivityStatistics, table.id).state is StatisticsState.SUBMITTED


def test_a_ranking_move_reason_over_its_limit_is_refused(client, login, session):
    from portal.scoring.results.models import ListMove
    from tests.scoring.results_helpers import category_of, scored_packet
    from tests.scoring.results_helpers import make_expert as results_expert

    campaign = make_campaign(year=2338)
    packet = scored_packet(campaign, [results_expert()], [80])
    login(make_user(Role.OFFICE))
    response = client.post(
        f"/scoring/results/categories/{category_of(campaign).id}/move",
        data={"move": f"out-{packet.id}", "reason": "调" * 2001},
        follow_redirects=True,
    )
    assert "Give the reason in at most 2000 characters." in response.get_data(as_text=True)
    assert session.query(ListMove).count() == 0


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "problem", "message"),
    [
        (
            {"name": "张三", "sex": "male", "birth_date": "0001-01-01"},
            "members-0-birth_date",
            "This birth date gives an age of 2025",
        ),
        (
            {"name": "张三", "sex": "male", "birth_date": "2015-01-01"},
            "members-0-birth_date",
            "This birth date gives an age of 11",
        ),
        (
            {"name": "张三", "id_number": make_id_number(date(1920, 5, 1), female=False)},
            "members-0-id_number",
            "This birth date gives an age of 106",
        ),
    ],
)
def test_an_absurd_birth_date_is_refused_and_the_average_age_kept(client, member, problem, message):
    user = make_user(Role.ENTERPRISE)
    app = make_draft(user)
    response = _patch(client, app, user, members=[member])
    assert response.status_code == 422
    assert message in response.get_json()["error"]["problems"][problem]
    assert app.members == [] and app.average_age is None


def test_an_absurd_birth_date_is_refused_on_the_page(client, login):
    user = make_user(Role.ENTERPRISE)
    app = make_draft(user)
    login(user)
    data = {
        "lock_version": str(app.lock_version),
        "members-0-name": "张三",
        "members-0-sex": "male",
        "members-0-birth_date": "0001-01-01",
    }
    response = client.post(f"/applications/{app.id}/edit", data=data)
    assert response.status_code == 200
    assert "it must be from 16 to 80." in response.get_data(as_text=True)
    assert app.members == []


@pytest.mark.parametrize("field", ["team_founded_on"])
def test_a_date_before_1900_is_refused(client, field):
    user = make_user(Role.ENTERPRISE)
    app = make_draft(user)
    response = _patch(client, app, user, fields={field: "0001-01-01"})
    assert response.status_code == 422
    assert response.get_json()["error"]["problems"][field] == "Enter a date from 1900 on."


def test_an_individual_too_old_by_the_id_number_is_refused(client):
    from portal.campaigns.models import CategoryKind

    user = make_user(Role.ENTERPRISE)
    app = make_draft(user, kind=CategoryKind.INDIVIDUAL)
    number = make_id_number(date(1901, 1, 1), female=True)
    response = _patch(client, app, user, fields={"id_number": number})
    assert response.status_code == 422
    assert "age of 125" in response.get_json()["error"]["problems"]["id_number"]
    assert app.id_number is None
