"""The re-evaluation pages: the office opens a round, the unit reports with a file, the channel,
the office and an organizer act from their forms, and a move out of turn is refused politely."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from portal.accounts.models import Role
from portal.clock import shanghai_today
from portal.honours.models import Honour
from portal.organizations.models import OrgKind
from portal.reevaluation.models import Reevaluation, ReevaluationState
from tests.factories import district, make_org, make_user
from tests.honours.helpers import PNG
from tests.notice.helpers import four_organizers
from tests.querycount import counting
from tests.reevaluation.helpers import (
    channel_of,
    opened,
    organizer,
    third_year_honour,
    unit_of,
)

S = ReevaluationState
FORM = {
    "changes": "新增两名青年员工，推行延时服务。",
    "surveys": "2028年9月调查200份，满意率98.5%。",
    "staff_count": "14",
    "satisfaction_rate": "98.5",
    "complaints": "0",
}


def test_the_office_opens_a_round_from_the_list_page(client, login, session):
    honour = third_year_honour(days_left=90)
    login(make_user(Role.OFFICE))
    page = client.get("/reevaluation/").get_data(as_text=True)
    assert honour.certificate_number in page
    report_by = (shanghai_today() + timedelta(days=30)).isoformat()
    response = client.post(
        "/reevaluation/rounds", data={"title": "2028年度复评", "report_by": report_by}
    )
    assert response.status_code == 302
    r = session.query(Reevaluation).filter_by(honour_id=honour.id).one()
    assert r.state is S.OPEN and r.round.report_by.isoformat() == report_by


def test_a_reporting_date_after_expiry_is_refused_in_chinese(client, login, session):
    honour = third_year_honour(days_left=10)
    login(make_user(Role.OFFICE))
    data = {"title": "复评", "report_by": (honour.valid_until + timedelta(days=1)).isoformat()}
    response = client.post("/reevaluation/rounds", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert session.query(Reevaluation).count() == 0
    assert "到期" in response.get_data(as_text=True)


def test_the_main_path_through_the_forms_renews_the_title(client, login, session):
    honour = third_year_honour()
    old_end = honour.valid_until
    r = opened(honour)
    base = f"/reevaluation/{r.id}"

    login(unit_of(honour))
    upload = {**FORM, "file": (io.BytesIO(PNG), "调查表.png")}
    assert (
        client.post(f"{base}/report", data=upload, content_type="multipart/form-data").status_code
        == 302
    )
    assert r.stored_file.filename == "调查表.png" and r.staff_count == 14
    assert client.get(f"{base}/file").status_code == 200
    client.post(f"{base}/submit")
    assert r.state is S.AT_CHANNEL

    login(channel_of(honour))
    client.post(f"{base}/channel", data={"decision": "forward", "opinion": "同意"})
    assert r.state is S.AT_OFFICE
    login(make_user(Role.OFFICE))
    client.post(f"{base}/office", data={"decision": "forward", "opinion": "建议续期"})
    assert r.state is S.AT_ORGANIZERS
    for n, user in enumerate(four_organizers().values(), 1):
        login(user)
        page = client.get(base).get_data(as_text=True)
        assert 'data-testid="decision-form"' in page
        client.post(f"{base}/decision", data={"decision": "renew"})
        assert r.state is (S.RENEWED if n == 4 else S.AT_ORGANIZERS)
        assert 'data-testid="decision-form"' not in client.get(base).get_data(as_text=True)
    assert honour.valid_until > old_end
    page = client.get(base).get_data(as_text=True)
    assert honour.verification_code in page


def test_a_return_reaches_the_unit_with_its_reason(client, login, session):
    honour = third_year_honour()
    r = opened(honour)
    base = f"/reevaluation/{r.id}"
    login(unit_of(honour))
    client.post(f"{base}/report", data=FORM)
    client.post(f"{base}/submit")
    login(channel_of(honour))
    client.post(f"{base}/channel", data={"decision": "return", "opinion": "请补充调查表原件"})
    assert r.state is S.RETURNED
    login(unit_of(honour))
    page = client.get(base).get_data(as_text=True)
    assert "请补充调查表原件" in page and 'data-testid="report-form"' in page


def test_a_move_out_of_turn_is_refused_with_a_message_not_an_error(client, login, session):
    r = opened(third_year_honour())
    login(organizer())
    response = client.post(
        f"/reevaluation/{r.id}/decision", data={"decision": "renew"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert r.state is S.OPEN
    assert "flash-error" in response.get_data(as_text=True)


def test_the_unit_sees_only_its_own_and_no_forms_of_others(client, login, session):
    mine = opened(third_year_honour())
    login(unit_of(mine.honour))
    page = client.get(f"/reevaluation/{mine.id}").get_data(as_text=True)
    assert 'data-testid="review-form"' not in page and 'data-testid="decision-form"' not in page
    other = third_year_honour()
    assert client.get("/reevaluation/").get_data(as_text=True).count("data-state=") == 1
    assert other.holder_name not in client.get("/reevaluation/").get_data(as_text=True)


def test_the_honours_page_leads_the_office_to_re_evaluation(client, login, session):
    login(make_user(Role.OFFICE))
    page = client.get("/honours/manage").get_data(as_text=True)
    assert 'href="/reevaluation/"' in page


@pytest.mark.parametrize("n", [1, 20])
def test_the_list_needs_the_same_few_statements_at_one_row_and_at_many(
    app, client, login, session, n
):
    for _ in range(n):
        third_year_honour()
    opened(session.query(Honour).first())
    login(make_user(Role.OFFICE))
    with counting(app.extensions["portal.db"]["engine"]) as statements:
        response = client.get("/reevaluation/")
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("data-state=") == n
    assert len([s for s in statements if "SAVEPOINT" not in s]) <= 8


def test_a_channel_reviewer_lists_only_the_titles_of_its_channel(client, login, session):
    elsewhere = make_org(OrgKind.ENTERPRISE, district=district("xuhui"))
    other = third_year_honour(organization=elsewhere)
    mine = opened(third_year_honour())
    assert other.id in {r.honour_id for r in mine.round.reevaluations}
    login(channel_of(mine.honour))
    page = client.get("/reevaluation/").get_data(as_text=True)
    assert mine.honour.holder_name in page and other.holder_name not in page


def test_the_unit_finds_its_re_evaluation_on_its_home_and_reviewers_in_the_navigation(
    client, login, session
):
    r = opened(third_year_honour())
    login(unit_of(r.honour))
    home = client.get("/home").get_data(as_text=True)
    assert f'href="/reevaluation/{r.id}"' in home
    login(channel_of(r.honour))
    page = client.get("/home").get_data(as_text=True)
    assert 'href="/reevaluation/"' in page  # the navigation
    assert f'href="/reevaluation/{r.id}"' not in page  # nothing waits on the channel yet
