"""Creating, editing and copying campaigns: rules, data and the audit trail."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal import audit
from portal.accounts.models import Role
from portal.audit import AuditEntry
from portal.campaigns import service, structure, workflow
from portal.campaigns.models import (
    Campaign,
    CampaignStatus,
    CategoryKind,
    RubricKind,
    StageSystem,
)
from portal.campaigns.service import CampaignInvalid, default_settings
from portal.campaigns.structure import CategoryRow, RubricRow, StageRow
from portal.organizations.models import ChannelLevel, OrgKind, OrgSystem
from portal.reference import seed_reference
from tests.factories import make_campaign, make_org, make_user, shanghai


@pytest.fixture
def office(session):
    seed_reference(session)
    return make_user(Role.OFFICE)


def entries(session, action: str) -> list[AuditEntry]:
    return list(
        session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by("id"))
    )


def test_new_campaign_starts_as_draft_with_every_default(session, office):
    channel = make_org(OrgKind.CHANNEL, name="黄浦区总工会")
    campaign = service.create_campaign(session, office, default_settings(session, 2027))

    assert campaign.status is CampaignStatus.DRAFT
    assert len(campaign.districts) == 16
    assert len(campaign.industries) == 16
    assert [o.name for o in campaign.channels] == [channel.name]
    assert [c.code for c in campaign.categories] == ["team", "individual"]
    assert [(s.position, s.system) for s in campaign.stages] == [
        (0, StageSystem.UNION),
        (1, StageSystem.YOUTH),
        (2, StageSystem.WOMEN),
        (3, StageSystem.QUALITY),
        (4, StageSystem.OFFICE),
    ]
    assert structure.criteria_total(campaign.rubric) == Decimal(100)
    assert campaign.application_deadline == datetime(2027, 11, 10, 9, 0, tzinfo=UTC)
    assert workflow.readiness_problems(campaign) == []
    [entry] = entries(session, "campaign.create")
    assert entry.actor_id == office.id
    assert entry.after["year"] == 2027
    assert len(entry.after["district_ids"]) == 16
    assert [c["code"] for c in entry.after["categories"]] == ["team", "individual"]
    assert audit.verify(session).ok


def test_deadlines_out_of_order_are_refused_with_clear_messages(session, office, english):
    settings = default_settings(session, 2027)
    settings.recommendation_deadline = shanghai(2027, 11, 9, 17, 0)
    settings.review_deadline = shanghai(2027, 11, 8, 17, 0)
    with pytest.raises(CampaignInvalid) as refused:
        service.create_campaign(session, office, settings)
    problems = {k: str(v) for k, v in refused.value.problems.items()}
    assert problems == {
        "recommendation_deadline": (
            "The recommendation deadline must not be before the application deadline."
        ),
        "review_deadline": "The review deadline must not be before the recommendation deadline.",
    }
    assert session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 0


def test_packet_cap_below_file_cap_is_refused(session, office, english):
    settings = default_settings(session, 2027)
    settings.max_file_mb, settings.max_packet_mb = 20, 10
    with pytest.raises(CampaignInvalid) as refused:
        service.create_campaign(session, office, settings)
    assert str(refused.value.problems["max_packet_mb"]) == (
        "The packet limit (10 MB) must be at least the single-file limit (20 MB)."
    )


def test_a_year_has_one_campaign(session, office, english):
    make_campaign(year=2027, status=CampaignStatus.DRAFT)
    with pytest.raises(CampaignInvalid) as refused:
        service.create_campaign(session, office, default_settings(session, 2027))
    assert str(refused.value.problems["year"]) == "There is already a campaign for 2027."


def test_settings_edit_is_audited_and_an_unchanged_save_is_not(session, office):
    campaign = service.create_campaign(session, office, default_settings(session, 2027))
    settings = service.CampaignSettings.of(campaign)
    service.update_settings(session, office, campaign, settings)
    assert entries(session, "campaign.update_settings") == []

    settings.max_files = 12
    settings.allowed_file_types = ["docx", "pdf"]
    service.update_settings(session, office, campaign, settings)
    assert campaign.max_files == 12
    assert campaign.allowed_file_types == ["pdf", "docx"]
    [entry] = entries(session, "campaign.update_settings")
    assert (entry.before["max_files"], entry.after["max_files"]) == (20, 12)
    assert entry.after["allowed_file_types"] == ["pdf", "docx"]


def _rubric_rows(campaign: Campaign) -> list[RubricRow]:
    return [
        RubricRow(
            id=r.id,
            code=r.code,
            kind=r.kind,
            name_zh=r.name_zh,
            name_en=r.name_en,
            points=r.points,
            cap=r.cap,
        )
        for r in campaign.rubric
    ]


def test_rubric_criteria_must_sum_to_exactly_100(session, office, english):
    campaign = make_campaign(year=2027, status=CampaignStatus.DRAFT)
    rows = _rubric_rows(campaign)
    rows[0].points = Decimal(10)  # service ideas 15 → 10: the criteria now total 95
    with pytest.raises(CampaignInvalid) as refused:
        structure.update_rubric(session, office, campaign, rows)
    assert {k: str(v) for k, v in refused.value.problems.items()} == {
        "total": "The scoring criteria add up to 95 points; they must add up to exactly 100."
    }
    assert entries(session, "campaign.update_rubric") == []


def test_rubric_edit_moves_points_adds_a_deduction_and_is_audited(session, office):
    campaign = make_campaign(year=2027, status=CampaignStatus.DRAFT)
    session.expire_all()  # as loaded by a request: points come back as stored, 15.00
    rows = _rubric_rows(campaign)
    rows[0].points = Decimal("12.5")
    rows[1].points = Decimal("22.5")
    rows.append(
        RubricRow(
            code="incident",
            kind=RubricKind.DEDUCTION,
            name_zh="重大服务事故",
            name_en="Major service incident",
            points=Decimal(10),
        )
    )
    structure.update_rubric(session, office, campaign, rows)
    session.expire_all()
    assert structure.criteria_total(campaign.rubric) == Decimal(100)
    assert [(r.code, r.points, r.position) for r in campaign.rubric][:2] == [
        ("idea", Decimal("12.50"), 0),
        ("standards", Decimal("22.50"), 1),
    ]
    assert campaign.rubric[-1].code == "incident"
    assert campaign.rubric[-1].position == 14
    [entry] = entries(session, "campaign.update_rubric")
    assert entry.before["rubric"][0]["points"] == "15.00"
    assert entry.after["rubric"][0]["points"] == "12.50"
    assert len(entry.after["rubric"]) == 15


def test_bonus_cap_below_its_points_and_repeated_codes_are_refused(session, office, english):
    campaign = make_campaign(year=2027, status=CampaignStatus.DRAFT)
    rows = _rubric_rows(campaign)
    praise = next(r for r in rows if r.code == "praise_letter")
    praise.cap = Decimal(1)
    rows[1].code = "idea"
    with pytest.raises(CampaignInvalid) as refused:
        structure.update_rubric(session, office, campaign, rows)
    problems = {k: str(v) for k, v in refused.value.problems.items()}
    assert problems["cap"] == "The cap of praise_letter (1) is below its points (2)."
    assert problems["code"] == "Each code may be used once; repeated: idea."


def test_categories_are_replaced_kept_and_added(session, office):
    campaign = make_campaign(year=2027, status=CampaignStatus.DRAFT)
    team = campaign.categories[0]
    rows = [
        CategoryRow(
            id=team.id,
            code="team",
            kind=CategoryKind.TEAM,
            name_zh="班组",
            name_en="Team",
            quota=80,
            narrative_min_chars=1000,
            narrative_max_chars=4000,
            min_surveys=25,
        ),
        CategoryRow(
            code="young_team",
            kind=CategoryKind.TEAM,
            name_zh="青年班组",
            name_en="Young team",
            quota=20,
            narrative_min_chars=1000,
            narrative_max_chars=3000,
            min_surveys=20,
        ),
    ]
    structure.update_categories(session, office, campaign, rows)
    session.expire_all()
    assert [(c.code, c.quota, c.position) for c in campaign.categories] == [
        ("team", 80, 0),
        ("young_team", 20, 1),
    ]
    assert campaign.categories[0].id == team.id
    [entry] = entries(session, "campaign.update_categories")
    assert [c["code"] for c in entry.before["categories"]] == ["team", "individual"]
    assert [c["code"] for c in entry.after["categories"]] == ["team", "young_team"]


def test_narrative_maximum_below_minimum_is_refused(session, office, english):
    campaign = make_campaign(year=2027, status=CampaignStatus.DRAFT)
    row = CategoryRow("team", CategoryKind.TEAM, "班组", "Team", 100, 3000, 2000, 30)
    with pytest.raises(CampaignInvalid) as refused:
        structure.update_categories(session, office, campaign, [row])
    assert str(refused.value.problems["narrative"]) == (
        "In category team the narrative maximum (2000 characters) is below the minimum (3000)."
    )


def test_review_chain_with_parallel_channel_stages(session, office):
    campaign = make_campaign(year=2027, status=CampaignStatus.DRAFT)
    rows = [
        StageRow(0, StageSystem.UNION, "工会初评", "Union review"),
        StageRow(0, StageSystem.YOUTH, "团委初评", "Youth review"),
        StageRow(0, StageSystem.WOMEN, "妇联初评", "Women review"),
        StageRow(1, StageSystem.QUALITY, "质协推荐", "Quality recommendation"),
        StageRow(2, StageSystem.OFFICE, "形式审查", "Formal check"),
    ]
    structure.update_stages(session, office, campaign, rows)
    session.expire_all()
    assert [(s.position, s.system) for s in campaign.stages] == [
        (0, StageSystem.UNION),
        (0, StageSystem.YOUTH),
        (0, StageSystem.WOMEN),
        (1, StageSystem.QUALITY),
        (2, StageSystem.OFFICE),
    ]
    assert workflow.readiness_problems(campaign) == []
    assert len(entries(session, "campaign.update_stages")) == 1


def test_the_same_system_twice_at_one_position_is_refused(session, office, english):
    campaign = make_campaign(year=2027, status=CampaignStatus.DRAFT)
    rows = [
        StageRow(0, StageSystem.UNION, "工会初评", "Union review"),
        StageRow(0, StageSystem.UNION, "工会复评", "Union second review"),
        StageRow(1, StageSystem.OFFICE, "形式审查", "Formal check"),
    ]
    with pytest.raises(CampaignInvalid) as refused:
        structure.update_stages(session, office, campaign, rows)
    assert str(refused.value.problems["system"]) == (
        "The same system appears twice at one position of the chain."
    )


def test_copy_shifts_deadlines_by_the_year_difference_and_copies_everything(session, office):
    channel = make_org(
        OrgKind.CHANNEL,
        name="上海铁路局工会",
        system=OrgSystem.UNION,
        channel_level=ChannelLevel.INDUSTRY,
        district=None,
    )
    source = make_campaign(
        year=2028,
        status=CampaignStatus.CLOSED,
        application_deadline=shanghai(2028, 2, 29, 17, 0),
        recommendation_deadline=shanghai(2028, 3, 5, 17, 0),
        review_deadline=shanghai(2028, 3, 15, 23, 30),
        reference_date=date(2028, 2, 29),
        max_files=15,
    )
    source.channels = [channel]
    source.categories[0].quota = 60
    session.flush()

    copy = service.copy_campaign(session, office, source, 2029)

    assert copy.status is CampaignStatus.DRAFT
    assert copy.copied_from_id == source.id
    assert copy.application_deadline == shanghai(2029, 2, 28, 17, 0)
    assert copy.recommendation_deadline == shanghai(2029, 3, 5, 17, 0)
    assert copy.review_deadline == shanghai(2029, 3, 15, 23, 30)
    assert copy.reference_date == date(2029, 2, 28)
    assert copy.max_files == 15
    assert copy.theme == source.theme
    assert [o.name for o in copy.channels] == ["上海铁路局工会"]
    assert [(c.code, c.quota) for c in copy.categories] == [("team", 60), ("individual", 100)]
    assert {c.id for c in copy.categories}.isdisjoint({c.id for c in source.categories})
    assert [(s.position, s.system) for s in copy.stages] == [
        (s.position, s.system) for s in source.stages
    ]
    assert [(r.code, r.points, r.cap) for r in copy.rubric] == [
        (r.code, r.points, r.cap) for r in source.rubric
    ]
    [entry] = entries(session, "campaign.copy")
    assert entry.after["copied_from_id"] == source.id
    assert entry.after["application_deadline"] == "2029-02-28T09:00:00+00:00"


def test_copy_to_a_year_that_exists_is_refused(session, office, english):
    source = make_campaign(year=2026, status=CampaignStatus.CLOSED)
    make_campaign(year=2027, status=CampaignStatus.DRAFT)
    with pytest.raises(CampaignInvalid) as refused:
        service.copy_campaign(session, office, source, 2027)
    assert str(refused.value.problems["year"]) == "There is already a campaign for 2027."
