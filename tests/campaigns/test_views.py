"""Campaign pages as the office and the organizers use them."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from portal.accounts.models import Role
from portal.audit import AuditEntry
from portal.campaigns.models import Campaign, CampaignStatus
from portal.campaigns.service import beijing_today
from portal.organizations.models import District, Industry
from portal.reference import seed_reference
from tests.factories import make_campaign, make_user


def office_login(session, login):
    seed_reference(session)
    user = make_user(Role.OFFICE, locale="en")
    login(user)
    return user


def settings_form(session, **changes) -> dict:
    data = {
        "year": "2027",
        "theme": "质量激发工匠精神 满意引领服务升级",
        "application_deadline": "2027-11-10 17:00",
        "recommendation_deadline": "2027-11-15 17:00",
        "review_deadline": "2027-11-25 17:00",
        "reference_date": "2027-11-10",
        "notice_working_days": "5",
        "allowed_file_types": ["pdf", "docx"],
        "max_file_mb": "20",
        "max_packet_mb": "100",
        "max_files": "20",
        "district_ids": [str(i) for i in session.scalars(sa.select(District.id))],
        "industry_ids": [str(i) for i in session.scalars(sa.select(Industry.id))],
    }
    data.update(changes)
    return data


def test_create_form_is_prefilled_with_defaults(session, client, login):
    office_login(session, login)
    page = client.get("/office/campaigns/new").get_data(as_text=True)
    # No campaign yet: this year's usual closing time, shown as Beijing time.
    assert f'value="{beijing_today().year}-11-10 17:00"' in page
    assert page.count('name="district_ids"') == 16
    assert page.count('name="district_ids" type="checkbox" value=') == 16
    assert page.count("checked") >= 16 + 16 + 5


def test_office_creates_a_campaign_entering_beijing_time(session, client, login):
    office_login(session, login)
    response = client.post("/office/campaigns/new", data=settings_form(session))
    assert response.status_code == 302
    campaign = session.scalar(sa.select(Campaign).where(Campaign.year == 2027))
    assert campaign.status is CampaignStatus.DRAFT
    assert campaign.application_deadline == datetime(2027, 11, 10, 9, 0, tzinfo=UTC)
    assert campaign.allowed_file_types == ["pdf", "docx"]
    assert len(campaign.districts) == 16
    assert [c.code for c in campaign.categories] == ["team", "individual"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2027-11-10 17:00" in page
    assert "The 2027 campaign was created as a draft." in page


def test_deadlines_out_of_order_show_on_the_field(session, client, login):
    office_login(session, login)
    data = settings_form(session, review_deadline="2027-11-12 17:00")
    page = client.post("/office/campaigns/new", data=data).get_data(as_text=True)
    assert "The review deadline must not be before the recommendation deadline." in page
    assert session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 0


def test_a_time_in_the_wrong_format_is_explained(session, client, login):
    office_login(session, login)
    data = settings_form(session, application_deadline="10/11/2027 5pm")
    page = client.post("/office/campaigns/new", data=data).get_data(as_text=True)
    assert "Enter the time as YYYY-MM-DD HH:MM, Beijing time, for example 2026-11-10 17:00." in page


def rubric_form(campaign, **points) -> dict:
    data = {}
    for i, r in enumerate(campaign.rubric):
        prefix = f"rows-{i}-"
        data.update(
            {
                prefix + "id": str(r.id),
                prefix + "code": r.code,
                prefix + "kind": r.kind.value,
                prefix + "name_zh": r.name_zh,
                prefix + "name_en": r.name_en,
                prefix + "points": str(points.get(r.code, r.points)),
                prefix + "cap": "" if r.cap is None else str(r.cap),
                prefix + "description": "",
            }
        )
    return data


def test_rubric_summing_to_95_is_refused_with_the_total(session, client, login):
    office_login(session, login)
    campaign = make_campaign(year=2027, status=CampaignStatus.DRAFT)
    url = f"/office/campaigns/{campaign.id}/rubric"
    page = client.post(url, data=rubric_form(campaign, idea="10")).get_data(as_text=True)
    assert "The scoring criteria add up to 95 points; they must add up to exactly 100." in page

    response = client.post(url, data=rubric_form(campaign, idea="10", standards="25"))
    assert response.status_code == 302
    session.expire_all()
    assert [str(r.points) for r in campaign.rubric[:2]] == ["10.00", "25.00"]


def test_a_refused_code_is_shown_as_text_not_as_markup(session, client, login):
    office_login(session, login)
    campaign = make_campaign(year=2027, status=CampaignStatus.DRAFT)
    data = rubric_form(campaign)
    data["rows-0-code"] = "<b>x</b>"
    url = f"/office/campaigns/{campaign.id}/rubric"
    page = client.post(url, data=data).get_data(as_text=True)
    assert "&lt;b&gt;x&lt;/b&gt; is not." in page
    assert "<b>x</b>" not in page


def test_rubric_row_removed_and_spare_row_added(session, client, login):
    office_login(session, login)
    campaign = make_campaign(year=2027, status=CampaignStatus.DRAFT)
    url = f"/office/campaigns/{campaign.id}/rubric"
    page = client.get(url).get_data(as_text=True)
    assert page.count('name="rows-') // 9 == len(campaign.rubric) + 2  # two spare rows
    data = rubric_form(campaign)
    data["rows-13-remove"] = "y"  # the 'criticism' deduction
    data.update(
        {
            "rows-14-code": "refusal",
            "rows-14-kind": "deduction",
            "rows-14-name_zh": "拒绝服务",
            "rows-14-name_en": "Refusing service",
            "rows-14-points": "10",
        }
    )
    assert client.post(url, data=data).status_code == 302
    session.expire_all()
    assert [r.code for r in campaign.rubric][-2:] == ["complaint", "refusal"]


def test_status_refusal_is_shown_and_a_valid_move_is_made(session, client, login):
    office_login(session, login)
    make_campaign(year=2026, status=CampaignStatus.OPEN)
    draft = make_campaign(year=2027, status=CampaignStatus.DRAFT)
    url = f"/office/campaigns/{draft.id}/status"
    page = client.post(url, data={"target": "open"}, follow_redirects=True).get_data(as_text=True)
    assert "The 2026 campaign is open; close it before opening another one." in page
    assert draft.status is CampaignStatus.DRAFT

    page = client.post(url, data={"target": "archived"}, follow_redirects=True)
    assert "A campaign that is Draft cannot become Archived." in page.get_data(as_text=True)
    assert client.post(url, data={"target": "nonsense"}).status_code == 400


def test_close_then_reopen_with_a_reason(session, client, login):
    office = office_login(session, login)
    campaign = make_campaign(year=2026, status=CampaignStatus.OPEN)
    url = f"/office/campaigns/{campaign.id}/status"
    page = client.post(url, data={"target": "closed"}, follow_redirects=True)
    assert "The 2026 campaign is now Closed." in page.get_data(as_text=True)
    page = client.post(url, data={"target": "open"}, follow_redirects=True).get_data(as_text=True)
    assert "Give a reason for reopening the campaign." in page
    client.post(url, data={"target": "open", "reason": "补录两个区的推荐材料"})
    session.expire_all()
    assert campaign.status is CampaignStatus.OPEN
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "campaign.reopen"))
    assert (entry.actor_id, entry.reason) == (office.id, "补录两个区的推荐材料")


def test_copy_page_creates_next_year_draft(session, client, login):
    office_login(session, login)
    source = make_campaign(year=2026, status=CampaignStatus.OPEN)
    response = client.post(f"/office/campaigns/{source.id}/copy", data={"year": "2027"})
    assert response.status_code == 302
    copy = session.scalar(sa.select(Campaign).where(Campaign.year == 2027))
    assert (copy.status, copy.copied_from_id) == (CampaignStatus.DRAFT, source.id)
    assert copy.review_deadline == datetime(2027, 11, 25, 9, 0, tzinfo=UTC)


def test_organizer_reads_but_sees_no_edit_controls(session, client, login):
    campaign = make_campaign(year=2026, status=CampaignStatus.OPEN)
    login(make_user(Role.ORGANIZER, locale="en"))
    page = client.get(f"/office/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Criteria total: 100 of 100 points" in page
    assert "/settings" not in page
    assert "/status" not in page
    assert "Copy to a new year" not in page


def test_closed_campaign_settings_cannot_be_edited(session, client, login):
    office_login(session, login)
    campaign = make_campaign(year=2025, status=CampaignStatus.CLOSED)
    assert client.get(f"/office/campaigns/{campaign.id}/settings").status_code == 403
    assert client.get(f"/office/campaigns/{campaign.id}/rubric").status_code == 403
    page = client.get(f"/office/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Reopen the campaign" in page
    assert "Archive the campaign" in page
