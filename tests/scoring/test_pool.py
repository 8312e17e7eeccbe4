"""The office's expert pool and panels: create, edit, refusals, stale edits, masked contacts."""

from __future__ import annotations

import sqlalchemy as sa

from portal.accounts.models import Role
from portal.audit import AuditEntry
from portal.db import get_session
from portal.organizations.models import OrgKind
from portal.scoring.models import Expert, Panel
from tests.factories import industry, make_campaign, make_org, make_user
from tests.scoring.helpers import assigned_sheet, make_expert


def _office(client, login):
    login(make_user(Role.OFFICE, locale="en"))


def test_office_adds_an_expert_with_a_login_and_industries(client, login, app):
    _office(client, login)
    home = make_org(OrgKind.OTHER, name="上海商学院")
    account = make_user(Role.EXPERT)
    form = {
        "name": "陆文博",
        "organization_id": str(home.id),
        "industry_ids": [str(industry("finance").id), str(industry("hotels").id)],
        "mobile": "13912345678",
        "email": "lu@example.com",
        "active": "y",
        "user_id": str(account.id),
    }
    response = client.post("/scoring/experts/new", data=form)
    assert response.status_code == 302
    expert = get_session().scalar(sa.select(Expert).where(Expert.name == "陆文博"))
    assert expert.user == account and expert.organization == home
    assert sorted(i.code for i in expert.industries) == ["finance", "hotels"]
    page = client.get("/scoring/experts").get_data(as_text=True)
    assert "陆文博" in page and "13912345678" in page  # the office sees the contact in full
    assert get_session().scalar(
        sa.select(AuditEntry.action).where(AuditEntry.action == "expert.create")
    )


def test_every_problem_of_an_expert_is_shown_and_a_login_is_not_shared(client, login, app):
    _office(client, login)
    taken = make_expert()
    response = client.post(
        "/scoring/experts/new",
        data={"name": "", "mobile": "12345", "user_id": str(taken.user_id)},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose the expert's organization." in page
    assert "Choose at least one industry of expertise." in page
    assert "Enter the expert's name." in page
    assert "A mobile number has 11 digits and starts with 1." in page
    assert "That login already belongs to another expert." in page


def test_a_stale_edit_of_an_expert_is_refused(client, login, app):
    _office(client, login)
    expert = make_expert(login=False)
    form = {
        "name": "新名字",
        "organization_id": str(expert.organization_id),
        "industry_ids": [str(industry().id)],
        "active": "y",
        "lock_version": str(expert.lock_version - 1 or 99),
    }
    page = client.post(f"/scoring/experts/{expert.id}/edit", data=form).get_data(as_text=True)
    assert "Someone else saved this record" in page
    get_session().refresh(expert)
    assert expert.name != "新名字"


def test_panel_leader_must_be_a_member_and_one_panel_per_industry(client, login, app):
    _office(client, login)
    campaign = make_campaign(year=2341, industries=[industry()])
    a, b = make_expert("甲"), make_expert("乙")
    url = f"/scoring/campaigns/{campaign.id}/panels/new"
    form = {"name": "金融组", "industry_id": str(industry().id), "member_ids": [str(a.id)]}
    bad = client.post(url, data={**form, "leader_id": str(b.id)}).get_data(as_text=True)
    assert "The panel leader must be one of its members." in bad
    assert client.post(url, data={**form, "leader_id": str(a.id)}).status_code == 302
    again = client.post(url, data=form).get_data(as_text=True)
    assert "This campaign already has a panel for that industry." in again
    panel = get_session().scalar(sa.select(Panel).where(Panel.campaign_id == campaign.id))
    assert panel.leader == a and panel.members == [a]


def test_progress_page_masks_expert_contacts(client, login, app):
    a = assigned_sheet(make_expert("癸专家", mobile="13987654321", email="gui@example.com"))
    _office(client, login)
    page = client.get(f"/scoring/campaigns/{a.campaign_id}/progress").get_data(as_text=True)
    assert "癸专家" in page
    assert "139****4321" in page and "g***@example.com" in page
    assert "13987654321" not in page and "gui@example.com" not in page
