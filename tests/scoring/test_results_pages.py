"""The results pages: figures, flags, moves and confirmation for the office, read-only for
organizers, exports' content, and a constant number of statements whatever the packets."""

from __future__ import annotations

import csv
import io
from decimal import Decimal as D

import pytest
from docx import Document

from portal.accounts.models import Role
from portal.applications.models import ApplicationState as S
from portal.campaigns.models import AggregationMethod
from portal.db import get_session
from portal.scoring.results import views
from portal.scoring.results.models import ListMove
from tests.factories import make_campaign, make_user
from tests.querycount import counting
from tests.scoring.results_helpers import category_of, make_expert, scored_packet


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BABEL_DEFAULT_LOCALE": "en"}


@pytest.fixture
def campaign(session):
    c = make_campaign(
        year=2043,
        aggregation_method=AggregationMethod.TRIMMED_MEAN,
        score_spread_threshold=D(15),
    )
    category_of(c).quota = 2
    session.flush()
    return c


@pytest.fixture
def experts(session):
    return [make_expert(f"专家{n}") for n in "甲乙丙丁戊"]


@pytest.fixture
def packets(campaign, experts):
    return [
        scored_packet(campaign, experts, [70, 80, 85, 90, 99], team_name="窗口一组"),
        scored_packet(campaign, experts, [82, 82, 82, 82, 82], team_name="窗口二组"),
        scored_packet(campaign, experts[:3], [60, 62, 64], team_name="窗口三组"),
    ]


def url(campaign, suffix=""):
    return f"/scoring/results/categories/{category_of(campaign).id}{suffix}"


def english(client):
    client.get("/language/en")


def test_office_sees_the_methods_figures_flags_and_can_confirm(client, login, campaign, packets):
    login(make_user(Role.OFFICE))
    page = client.get(url(campaign)).get_data(as_text=True)
    assert "窗口一组" in page and "85.00" in page  # trimmed mean of 70 80 85 90 99
    assert "82.00" in page and "62.00" in page
    assert 'data-testid="spread-flag"' in page  # 99 - 70 = 29 > 15
    assert page.count('data-testid="spread-flag"') == 1
    assert 'data-testid="confirm-list"' in page
    assert 'data-testid="balance-figures"' in page


def test_organizers_read_the_results_without_any_control(client, login, campaign, packets):
    login(make_user(Role.ORGANIZER))
    response = client.get(url(campaign))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "85.00" in page
    assert 'data-testid="confirm-list"' not in page
    assert "/move" not in page
    assert client.post(url(campaign, "/confirm")).status_code == 403


def test_experts_never_see_results(client, login, campaign, packets):
    login(make_user(Role.EXPERT))
    assert client.get(url(campaign)).status_code == 403
    assert client.get(url(campaign, "/list.csv")).status_code == 403


def test_confirm_twice_acts_once(client, login, campaign, packets):
    login(make_user(Role.OFFICE))
    first = client.post(url(campaign, "/confirm"), follow_redirects=True)
    assert "2 candidates, 1 not selected" in first.get_data(as_text=True)
    second = client.post(url(campaign, "/confirm"), follow_redirects=True)
    assert "already confirmed" in second.get_data(as_text=True)
    assert [p.state for p in packets] == [S.CANDIDATE, S.CANDIDATE, S.NOT_SELECTED]


def test_move_without_a_reason_is_refused_and_with_one_is_kept(client, login, campaign, packets):
    login(make_user(Role.OFFICE))
    data = {"move": f"out-{packets[1].id}", "reason": ""}
    page = client.post(url(campaign, "/move"), data=data, follow_redirects=True)
    assert "Give the reason in writing" in page.get_data(as_text=True)
    assert get_session().query(ListMove).count() == 0
    data["reason"] = "顾客投诉经核实"
    page = client.post(url(campaign, "/move"), data=data, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "顾客投诉经核实" in text
    assert get_session().query(ListMove).one().application_id == packets[1].id


def test_one_move_form_serves_every_row_with_its_own_button(client, login, campaign, packets):
    login(make_user(Role.OFFICE))
    page = client.get(url(campaign)).get_data(as_text=True)
    assert page.count("<form") - page.count('action="/logout"') == 2  # the moves and confirming
    assert page.count('form="move-form"') == 3
    assert f'name="move" value="out-{packets[0].id}"' in page
    assert f'name="move" value="in-{packets[2].id}"' in page


@pytest.mark.parametrize("move", ["", "up-1", "in-", "in-0", "in-x", "out-99999999999", "in-٣"])
def test_a_move_that_cannot_be_read_is_refused_in_words(client, login, campaign, packets, move):
    login(make_user(Role.OFFICE))
    data = {"move": move, "reason": "复核"}
    page = client.post(url(campaign, "/move"), data=data, follow_redirects=True)
    assert page.status_code == 200
    assert "The move could not be read" in page.get_data(as_text=True)
    assert get_session().query(ListMove).count() == 0


def test_reopen_with_a_reason(client, login, campaign, packets):
    login(make_user(Role.OFFICE))
    client.post(url(campaign, "/confirm"))
    client.post(url(campaign, "/reopen"), data={"reason": "复核分差"})
    assert [p.state for p in packets] == [S.ACCEPTED] * 3


def test_candidate_list_csv_has_a_bom_and_the_ranked_rows(client, login, campaign, packets):
    login(make_user(Role.ORGANIZER))
    response = client.get(url(campaign, "/list.csv"))
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "排名", "申报名称"]
    assert [(r[2], r[6], r[10]) for r in rows[1:]] == [
        ("窗口一组", "85.00", "是"),
        ("窗口二组", "82.00", "是"),
        ("窗口三组", "62.00", "否"),
    ]
    assert "分差过大" in rows[1][11]
    assert response.headers["Content-Type"].startswith("text/csv")


def test_candidate_list_docx_holds_the_title_and_table(client, login, campaign, packets):
    login(make_user(Role.OFFICE))
    response = client.get(url(campaign, "/list.docx"))
    document = Document(io.BytesIO(response.get_data()))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "2043年度用户满意服务明星（班组）评审排序名单"
    assert any("去掉一个最高分和一个最低分" in t for t in texts)
    table = document.tables[0]
    assert [c.text for c in table.rows[1].cells][2:4] == ["窗口一组", packets[0].organization.name]
    assert table.rows[3].cells[10].text == "否"


def test_panel_score_table_has_each_experts_total(client, login, campaign, packets, experts):
    from portal.scoring.models import Panel

    login(make_user(Role.OFFICE))
    panel = get_session().query(Panel).filter_by(campaign_id=campaign.id).one()
    body = client.get(f"/scoring/results/panels/{panel.id}/scores.csv").get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["排名", "申报名称", "申报单位", "专家甲", "专家乙", "专家丙", "专家丁",
                       "专家戊", "评分", "分差", "分差过大"]  # fmt: skip
    assert rows[1][1] == "窗口一组"
    assert rows[1][3:] == ["70.00", "80.00", "85.00", "90.00", "99.00", "85.00", "29.00", "是"]
    # the third packet was scored by three experts only: the others' cells stay empty
    assert rows[3][3:] == ["60.00", "62.00", "64.00", "", "", "62.00", "4.00", ""]
    document = Document(
        io.BytesIO(client.get(f"/scoring/results/panels/{panel.id}/scores.docx").get_data())
    )
    assert document.tables[0].rows[1].cells[3].text == "70.00"


def _statements(client, campaign) -> int:
    connection = get_session().connection()
    with counting(connection) as statements:
        response = client.get(url(campaign))
    assert response.status_code == 200
    return len(statements)


def test_results_page_statement_count_does_not_grow_with_packets(client, login, campaign, experts):
    login(make_user(Role.OFFICE))
    scored_packet(campaign, experts, [80, 81, 82, 83, 84])
    few = _statements(client, campaign)
    for n in range(12):
        scored_packet(campaign, experts, [70 + n, 71, 72, 73, 74 + n])
    many = _statements(client, campaign)
    assert few == many
    # Ten for the results, one asking which of the listed packets the reader may open.
    assert many <= 11


def test_a_paged_list_takes_as_many_statements_for_few_packets_as_for_many(
    client, login, campaign, experts, monkeypatch
):
    monkeypatch.setattr(views, "ROWS_PER_PAGE", 2)  # ranked by the database, page by page
    login(make_user(Role.OFFICE))
    for n in range(3):
        scored_packet(campaign, experts, [80 + n, 81, 82, 83, 84])
    few = _statements(client, campaign)
    for n in range(12):
        scored_packet(campaign, experts, [70 + n, 71, 72, 73, 74 + n])
    assert _statements(client, campaign) == few <= 11


def test_overview_lists_each_categorys_list_and_each_panels_exports(
    client, login, campaign, packets
):
    from portal.scoring.models import Panel

    login(make_user(Role.ORGANIZER))
    page = client.get(f"/scoring/results/?campaign={campaign.id}").get_data(as_text=True)
    panel = get_session().query(Panel).filter_by(campaign_id=campaign.id).one()
    assert f"/scoring/results/categories/{category_of(campaign).id}" in page
    assert f"/scoring/results/panels/{panel.id}/scores.docx" in page
    assert "Not confirmed" in page
    assert client.get("/scoring/results/?campaign=999999").status_code == 404


def test_the_ranking_is_paged_and_the_figures_are_of_the_whole_list(
    client, login, campaign, packets, monkeypatch
):
    monkeypatch.setattr(views, "ROWS_PER_PAGE", 2)
    login(make_user(Role.OFFICE))
    first = client.get(url(campaign)).get_data(as_text=True)
    assert "窗口一组" in first and "窗口二组" in first and "窗口三组" not in first
    assert f"{url(campaign)}?page=2" in first and "Previous page" not in first
    second = client.get(url(campaign, "?page=2")).get_data(as_text=True)
    assert "窗口三组" in second and "窗口一组" not in second and "62.00" in second
    assert f"{url(campaign)}?page=1" in second and "Next page" not in second
    for page in (first, second):
        assert 'data-testid="in-count">2<' in page  # the quota's two, counted on both pages

    def balance(page: str) -> str:
        return page[
            page.index('id="balance-h"') : page.index("</section>", page.index("balance-h"))
        ]

    assert balance(first) == balance(second) and 'data-testid="total">2 ' in balance(first)
    assert client.get(url(campaign, "?page=9")).get_data(as_text=True).count("窗口三组") == 1
