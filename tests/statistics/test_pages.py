"""The channel organization's form, the office's aggregation page and its Word and CSV exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from docx import Document

from portal.accounts.models import Role
from portal.campaigns.models import CampaignStatus
from portal.db import utcnow
from portal.organizations.models import OrgSystem
from portal.statistics.models import COUNT_NAMES, ActivityStatistics, StatisticsState
from tests.factories import make_campaign, make_user
from tests.querycount import counting
from tests.statistics.helpers import FIGURES, channel, counts, file_all, reviewer_of, summed


def _open_campaign(year: int):
    deadline = utcnow() + timedelta(days=10)
    return make_campaign(
        year=year,
        application_deadline=deadline - timedelta(days=5),
        recommendation_deadline=deadline,
        review_deadline=deadline + timedelta(days=10),
    )


def _form(values, action: str, lock_version: int = 0, **extra) -> dict:
    data = {name: str(v) for name, v in zip(COUNT_NAMES, values, strict=True)}
    data.update(
        contact_name="王敏",
        contact_phone="021-63210000",
        report_date="2026-11-12",
        lock_version=str(lock_version),
        action=action,
    )
    data.update(extra)
    return data


def test_reviewer_saves_then_submits_once_even_on_a_double_click(client, login, session):
    campaign = _open_campaign(2701)
    reviewer = reviewer_of(channel(OrgSystem.UNION, "huangpu"))
    login(reviewer)
    assert client.get("/statistics/mine").status_code == 200
    response = client.post("/statistics/mine", data=_form(FIGURES["union-huangpu"], "save"))
    assert response.status_code == 302
    table = session.query(ActivityStatistics).filter_by(campaign_id=campaign.id).one()
    assert table.state is StatisticsState.DRAFT
    assert table.counts() == counts(FIGURES["union-huangpu"])
    data = _form(FIGURES["union-huangpu"], "submit", lock_version=table.lock_version)
    client.post("/statistics/mine", data=data)
    second = client.post("/statistics/mine", data=data, follow_redirects=True)
    session.refresh(table)
    assert table.state is StatisticsState.SUBMITTED
    html = second.get_data(as_text=True)
    assert "already" in html or "after you opened it" in html
    assert 'data-testid="figure-people_trained">120<' in html


def test_contradicting_figures_are_shown_with_what_was_typed(client, login, session):
    _open_campaign(2702)
    login(reviewer_of(channel(OrgSystem.UNION, "huangpu")))
    values = list(FIGURES["union-huangpu"])
    values[COUNT_NAMES.index("recommended_women")] = 9
    response = client.post("/statistics/mine", data=_form(values, "save"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Cannot be more than the individuals recommended." in html
    assert 'value="9"' in html
    assert session.query(ActivityStatistics).count() == 0


def test_negative_and_missing_numbers_are_refused_by_the_form(client, login, session):
    _open_campaign(2703)
    login(reviewer_of(channel(OrgSystem.UNION, "huangpu")))
    values = list(FIGURES["union-huangpu"])
    values[0] = -1
    data = _form(values, "save", teams_taking_part="")
    assert client.post("/statistics/mine", data=data).status_code == 200
    assert session.query(ActivityStatistics).count() == 0


def test_office_page_shows_the_sums_of_submitted_tables(client, login):
    campaign = make_campaign(year=2704, status=CampaignStatus.CLOSED)
    file_all(campaign)
    login(make_user(Role.OFFICE))
    html = client.get(f"/statistics/?campaign={campaign.id}").get_data(as_text=True)
    assert html.count('data-testid="table-row"') == 5
    # total row: 4 tables, enterprises 27, ..., people trained 395
    assert '<tr data-testid="total"><th>Total</th><td>4</td><td>27</td>' in html
    assert "<td>395</td>" in html


def test_csv_export_is_utf8_with_bom_and_hand_computed_sums(client, login):
    campaign = make_campaign(year=2705, status=CampaignStatus.CLOSED)
    file_all(campaign)
    login(make_user(Role.OFFICE))
    response = client.get(f"/statistics/summary.csv?campaign={campaign.id}")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Section", "By system", "Tables filed", "Enterprises taking part"]
    union = rows[1]
    assert union[:3] == ["By system", "Trade union", "2"]
    assert union[3:] == [str(v) for v in summed("union-huangpu", "union-xuhui")]
    totals = [r for r in rows if r[1] == "Total"]
    assert len(totals) == 2 and totals[0][2:5] == ["4", "27", "14"]
    areas = [r[1] for r in rows if r[0] == "By district or industry"]
    assert areas == ["Huangpu", "Xuhui", "Railway", "Total"]


def test_word_export_has_both_tables_with_the_sums(client, login):
    campaign = make_campaign(year=2706, status=CampaignStatus.CLOSED)
    file_all(campaign)
    login(make_user(Role.OFFICE))
    response = client.get(f"/statistics/summary.docx?campaign={campaign.id}")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    assert "2706" in document.paragraphs[0].text
    by_system, by_area = document.tables
    assert [c.text for c in by_system.rows[1].cells[:4]] == ["Trade union", "2", "17", "8"]
    assert [c.text for c in by_system.rows[-1].cells[:3]] == ["Total", "4", "27"]
    assert [r.cells[0].text for r in by_area.rows[1:]] == ["Huangpu", "Xuhui", "Railway", "Total"]


def test_office_returns_a_table_and_its_reviewer_sees_the_reason(client, login, session):
    campaign = _open_campaign(2707)
    tables = file_all(campaign)
    table = tables["union-huangpu"]
    login(make_user(Role.OFFICE))
    response = client.post(f"/statistics/{table.id}/return", data={"reason": "志愿者人数有误"})
    assert response.status_code == 302
    session.refresh(table)
    assert table.state is StatisticsState.RETURNED
    client.post("/logout")
    login(make_user(Role.CHANNEL_REVIEWER, organization=table.organization))
    html = client.get("/statistics/mine").get_data(as_text=True)
    assert "志愿者人数有误" in html and 'name="action" value="submit"' in html


def test_office_page_statement_count_does_not_grow_with_tables(client, login, app):
    few = make_campaign(year=2708, status=CampaignStatus.CLOSED)
    many = make_campaign(year=2709, status=CampaignStatus.CLOSED)
    from tests.statistics.helpers import before_deadline, save

    save(reviewer_of(channel(OrgSystem.UNION, "huangpu")), few, now=before_deadline(few))
    file_all(many)
    login(make_user(Role.OFFICE))
    connection = app.extensions["portal.db"]["engine"]
    found = []
    for campaign in (few, many):
        with counting(connection) as statements:
            assert client.get(f"/statistics/?campaign={campaign.id}").status_code == 200
        found.append(len(statements))
    assert found[0] == found[1]
