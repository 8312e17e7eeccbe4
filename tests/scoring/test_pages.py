"""Expert and office pages: pledge gate, blindness, sheets, assignment, progress, reminders."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.campaigns.models import Campaign
from portal.db import get_session
from portal.mail import OutboxMessage
from portal.organizations.models import OrgKind
from portal.scoring import sheets
from portal.scoring.models import AssignmentStatus, Expert, ScoreSheet, SheetStatus
from tests.factories import make_campaign, make_org, make_user
from tests.querycount import counting
from tests.scoring.helpers import accepted, assigned_sheet, make_expert, make_panel, panel_for

SECRET_SCORES = {
    "idea": "14.5",
    "standards": "19.5",
    "skills": "13.5",
    "innovation": "11.5",
    "results": "23.5",
    "impact": "9",
}  # total 91.5


def _expert(name: str, organization=None, **fields):
    org = organization or make_org(OrgKind.OTHER)
    user = make_user(Role.EXPERT, organization=org, locale="en", name=name)
    return make_expert(name, organization=org, user=user, **fields)


@pytest.fixture
def pair(app):
    """Experts A and B on the same packet; B has locked a sheet with distinctive scores."""
    campaign = make_campaign(year=2321)
    a, b = _expert("甲评审专家"), _expert("乙保密专家", mobile="13912345678")
    packet = accepted(campaign, team_name="外滩服务班组")
    mine = assigned_sheet(a, campaign, app=packet)
    theirs = assigned_sheet(b, campaign, app=packet)
    sheets.save_sheet(get_session(), None, b, theirs.sheet, SECRET_SCORES, comment="乙的意见独有")
    sheets.lock_sheet(get_session(), b.user, b, theirs.sheet)
    assert theirs.sheet.total == Decimal("91.5")
    return mine, theirs


def _leaks(text: str, theirs) -> list[str]:
    b = theirs.expert
    needles = ["乙保密专家", b.user.email, "91.5", "23.5", "19.5", "乙的意见独有", "1391234"]
    return [n for n in needles if n in text]


def test_expert_never_sees_another_experts_scores_on_pages(client, login, pair):
    mine, theirs = pair
    login(mine.expert.user)
    pages = [
        "/scoring/",
        f"/scoring/assignments/{mine.id}",
        f"/applications/{mine.application_id}/versions/1",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert _leaks(response.get_data(as_text=True), theirs) == [], path
    assert client.get(f"/scoring/assignments/{theirs.id}").status_code == 404
    assert client.get(f"/scoring/sheets/{theirs.sheet.id}").status_code == 403


def test_blindness_holds_after_locking_too(client, login, pair):
    mine, theirs = pair
    sheets.save_sheet(
        get_session(), None, mine.expert, mine.sheet, dict.fromkeys(SECRET_SCORES, "5")
    )
    sheets.lock_sheet(get_session(), mine.expert.user, mine.expert, mine.sheet)
    login(mine.expert.user)
    page = client.get(f"/scoring/assignments/{mine.id}").get_data(as_text=True)
    assert _leaks(page, theirs) == []
    assert "30.00" in page


def test_packet_pages_wait_for_the_pledge(client, login, app):
    a = assigned_sheet(_expert("丙专家"), pledge=False)
    login(a.expert.user)
    response = client.get(f"/scoring/assignments/{a.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/scoring/campaigns/{a.campaign_id}/pledge")
    assert client.get(f"/applications/{a.application_id}/versions/1").status_code == 404
    index = client.get("/scoring/").get_data(as_text=True)
    assert a.application.title not in index
    assert "Read and accept the pledge" in index

    refused = client.post(f"/scoring/campaigns/{a.campaign_id}/pledge", data={})
    assert refused.status_code == 200
    assert sheets.pledge_of(get_session(), a.expert, a.campaign_id) is None
    client.post(f"/scoring/campaigns/{a.campaign_id}/pledge", data={"accept": "y"})
    assert sheets.pledge_of(get_session(), a.expert, a.campaign_id) is not None
    page = client.get(f"/scoring/assignments/{a.id}").get_data(as_text=True)
    assert a.application.title in page
    assert client.get(f"/applications/{a.application_id}/versions/1").status_code == 200


def test_expert_saves_a_draft_sees_problems_and_locks(client, login, app):
    a = assigned_sheet(_expert("丁专家"))
    login(a.expert.user)
    url = f"/scoring/assignments/{a.id}"
    bad = client.post(
        url + "/sheet", data={"item-idea": "16", "item-results": "20", "lock_version": "1"}
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Give from 0 to 15 points." in text
    assert 'value="20"' in text  # what was typed stays
    form = {f"item-{k}": v for k, v in SECRET_SCORES.items()}
    form |= {"item-praise_letter": "5", "item-complaint": "1", "lock_version": "1"}
    assert client.post(url + "/sheet", data=form).status_code == 302
    sheet = get_session().get(ScoreSheet, a.sheet.id)
    assert sheet.total == Decimal("91.5") + 10 - 5
    stale = client.post(url + "/sheet", data=form, follow_redirects=True)
    assert "changed elsewhere" in stale.get_data(as_text=True)
    client.post(url + "/lock", data={"lock_version": str(sheet.lock_version)})
    get_session().refresh(sheet)
    assert sheet.status is SheetStatus.LOCKED
    page = client.get(url).get_data(as_text=True)
    assert "Locked on" in page and 'name="item-idea"' in page and "disabled" in page


def test_expert_declares_a_conflict_and_the_office_reassigns(client, login, app):
    campaign = make_campaign(year=2322, experts_per_packet=1, reserves_per_packet=1)
    first, reserve = _expert("戊专家"), _expert("己专家")
    panel = make_panel(campaign, [first, reserve])
    packet = accepted(campaign)
    office = make_user(Role.OFFICE, locale="en")
    login(office)
    client.post(f"/scoring/panels/{panel.id}/auto")
    rows = sorted(get_session().scalars(sa.select(ScoreSheet.expert_id)).all())
    assert rows == [first.id]
    client.post("/logout")
    login(first.user)
    sheets.accept_pledge(get_session(), None, first, campaign)
    a = first_assignment = get_session().scalar(
        sa.select(sheets.Assignment).where(sheets.Assignment.expert_id == first.id)
    )
    withdrawn = client.post(
        f"/scoring/assignments/{a.id}/withdraw",
        data={"kind": "conflict", "reason": "配偶在该单位"},
        follow_redirects=True,
    )
    assert "will reassign the packet" in withdrawn.get_data(as_text=True)
    get_session().refresh(first_assignment)
    assert first_assignment.status is AssignmentStatus.WITHDRAWN
    client.post("/logout")
    login(office)
    page = client.post(f"/scoring/assignments/{a.id}/reassign", data={}, follow_redirects=True)
    assert f"Packet #{packet.id} now goes to 己专家." in page.get_data(as_text=True)


def test_office_manual_assignment_refuses_a_conflict_with_its_reason(client, login, app):
    campaign = make_campaign(year=2323)
    packet = accepted(campaign)
    insider = _expert("庚专家", organization=packet.organization)
    panel = make_panel(campaign, [insider])
    login(make_user(Role.OFFICE, locale="en"))
    page = client.post(
        f"/scoring/panels/{panel.id}/assign",
        data={"application_id": packet.id, "expert_id": insider.id},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "The expert works for the applying unit." in page


def test_office_reopens_a_locked_sheet_with_a_reason(client, login, pair):
    _mine, theirs = pair
    login(make_user(Role.OFFICE, locale="en"))
    url = f"/scoring/sheets/{theirs.sheet.id}"
    assert "91.50" in client.get(url).get_data(as_text=True)
    page = client.post(url + "/reopen", data={"reason": ""}, follow_redirects=True)
    assert "Give a reason." in page.get_data(as_text=True)
    client.post(url + "/reopen", data={"reason": "结果项漏评附件"})
    get_session().refresh(theirs.sheet)
    assert theirs.sheet.status is SheetStatus.DRAFT


def test_reminders_list_each_experts_open_sheets_once_per_click(client, login, pair):
    mine, theirs = pair
    second = accepted(mine.application.campaign, team_name="陆家嘴班组")
    assigned_sheet(mine.expert, mine.application.campaign, app=second)
    login(make_user(Role.OFFICE, locale="en"))
    page = client.post(
        f"/scoring/campaigns/{mine.campaign_id}/remind", follow_redirects=True
    ).get_data(as_text=True)
    assert "Reminders were sent to 1 experts." in page
    mails = get_session().scalars(sa.select(OutboxMessage)).all()
    assert [m.recipient for m in mails] == [mine.expert.email]
    assert "外滩服务班组" in mails[0].body and "陆家嘴班组" in mails[0].body
    assert theirs.expert.email not in [m.recipient for m in mails]


def _reload(model, ident):
    return get_session().get(model, ident)


def _statements(client, path: str) -> int:
    get_session().expunge_all()
    with counting(get_session().connection()) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


def test_expert_assignment_list_query_count_does_not_grow(client, login, app):
    campaign = make_campaign(year=2324)
    expert = _expert("辛专家")
    assigned_sheet(expert, campaign)
    login(expert.user)
    ids = campaign.id, expert.id
    one = _statements(client, "/scoring/")
    campaign, expert = _reload(Campaign, ids[0]), _reload(Expert, ids[1])
    for _ in range(15):
        assigned_sheet(expert, campaign)
    assert _statements(client, "/scoring/") == one
    assert one <= 10


def test_office_progress_query_count_does_not_grow(client, login, app):
    campaign = make_campaign(year=2325)
    expert = _expert("壬专家")
    assigned_sheet(expert, campaign)
    login(make_user(Role.OFFICE, locale="en"))
    path = f"/scoring/campaigns/{campaign.id}/progress"
    one = _statements(client, path)
    campaign = _reload(Campaign, int(path.split("/")[3]))
    for i in range(12):
        other = _expert(f"专家{i}")
        panel_for(campaign, other)
        assigned_sheet(other, campaign)
    page = client.get(path).get_data(as_text=True)
    assert "专家11" in page
    assert _statements(client, path) == one
    assert one <= 10


def test_a_reserve_may_declare_but_not_read_the_packet(client, login, app):
    campaign = make_campaign(year=2326)
    reserve = _expert("子专家")
    panel = make_panel(campaign, [reserve])
    packet = accepted(campaign, narrative="独有的事迹材料正文")
    from portal.scoring import assignment as assigning

    a = assigning.assign_expert(get_session(), None, panel, packet, reserve, reserve=True)
    sheets.accept_pledge(get_session(), None, reserve, campaign)
    login(reserve.user)
    page = client.get(f"/scoring/assignments/{a.id}").get_data(as_text=True)
    assert "独有的事迹材料正文" not in page
    assert "Declare a conflict of interest or abstain" in page
    assert client.get(f"/applications/{packet.id}/versions/1").status_code == 404
