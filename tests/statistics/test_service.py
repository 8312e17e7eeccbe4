"""Saving, submitting once before the deadline, returning for correction, and the sums."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.accounts.models import Role
from portal.db import get_session
from portal.organizations.models import OrgSystem
from portal.statistics import service
from portal.statistics.models import COUNT_NAMES, StatisticsState
from tests.factories import make_campaign, make_user
from tests.statistics.helpers import (
    FIGURES,
    before_deadline,
    channel,
    counts,
    file_all,
    reviewer_of,
    save,
    summed,
)


def _label(obj):
    return getattr(obj, "name_en", None) or obj.value


def test_a_saved_draft_keeps_every_figure(session):
    campaign = make_campaign(year=2501)
    reviewer = reviewer_of(channel(OrgSystem.UNION, "huangpu"))
    table = save(reviewer, campaign, FIGURES["union-huangpu"], now=before_deadline(campaign))
    assert table.state is StatisticsState.DRAFT
    assert table.counts() == counts(FIGURES["union-huangpu"])
    assert table.organization_id == reviewer.organization_id


def test_submitting_one_second_before_the_deadline_is_accepted(session):
    campaign = make_campaign(year=2502)
    reviewer = reviewer_of(channel(OrgSystem.UNION, "huangpu"))
    table = save(reviewer, campaign, now=before_deadline(campaign))
    service.submit_table(session, table.id, reviewer, now=before_deadline(campaign))
    assert table.state is StatisticsState.SUBMITTED
    assert table.submitted_at == before_deadline(campaign)


def test_submitting_at_the_deadline_is_refused(session):
    campaign = make_campaign(year=2503)
    reviewer = reviewer_of(channel(OrgSystem.UNION, "huangpu"))
    table = save(reviewer, campaign, now=before_deadline(campaign))
    with pytest.raises(service.StatisticsError) as refused:
        service.submit_table(session, table.id, reviewer, now=campaign.recommendation_deadline)
    assert refused.value.key == "deadline_passed"
    assert table.state is StatisticsState.DRAFT


def test_the_deadline_is_five_pm_beijing_time_which_is_nine_am_utc(session):
    campaign = make_campaign(year=2504)
    deadline = campaign.recommendation_deadline
    assert deadline.astimezone(UTC) == datetime(2504, 11, 15, 9, 0, tzinfo=UTC)
    assert service.deadline_passed(campaign, deadline) is True
    assert service.deadline_passed(campaign, deadline - timedelta(microseconds=1)) is False


def test_a_draft_cannot_be_saved_after_the_deadline(session):
    campaign = make_campaign(year=2505)
    reviewer = reviewer_of(channel(OrgSystem.UNION, "huangpu"))
    with pytest.raises(service.StatisticsError) as refused:
        save(reviewer, campaign, now=campaign.recommendation_deadline)
    assert refused.value.key == "deadline_passed"


def test_a_table_is_submitted_once(session):
    campaign = make_campaign(year=2506)
    reviewer = reviewer_of(channel(OrgSystem.UNION, "huangpu"))
    table = save(reviewer, campaign, now=before_deadline(campaign))
    service.submit_table(session, table.id, reviewer, now=before_deadline(campaign))
    with pytest.raises(service.StatisticsError) as refused:
        service.submit_table(session, table.id, reviewer, now=before_deadline(campaign))
    assert refused.value.key == "already_submitted"
    with pytest.raises(service.StatisticsError) as refused:
        save(reviewer, campaign, now=before_deadline(campaign))
    assert refused.value.key == "already_submitted"


def test_submission_needs_contact_and_date(session):
    campaign = make_campaign(year=2507)
    reviewer = reviewer_of(channel(OrgSystem.UNION, "huangpu"))
    table = save(reviewer, campaign, now=before_deadline(campaign), contact_phone=" ")
    with pytest.raises(service.StatisticsError) as refused:
        service.submit_table(session, table.id, reviewer, now=before_deadline(campaign))
    assert refused.value.params == {"fields": ["contact_phone"]}


def test_figures_that_contradict_each_other_are_all_listed_and_nothing_is_saved(session):
    campaign = make_campaign(year=2508)
    reviewer = reviewer_of(channel(OrgSystem.UNION, "huangpu"))
    values = dict(counts((1,) * 12), individuals_recommended=2, recommended_women=3)
    values.update(recommended_young=5, training_sessions=0, people_trained=10)
    with pytest.raises(service.InvalidFigures) as refused:
        save(
            reviewer, campaign, tuple(values[n] for n in COUNT_NAMES), now=before_deadline(campaign)
        )
    assert refused.value.problems == {
        "recommended_women": "more_than_recommended",
        "recommended_young": "more_than_recommended",
        "training_sessions": "trained_without_sessions",
    }
    session.rollback()
    assert service.find_table(session, campaign, reviewer.organization) is None


def test_a_stale_form_is_refused(session):
    campaign = make_campaign(year=2509)
    reviewer = reviewer_of(channel(OrgSystem.UNION, "huangpu"))
    table = save(reviewer, campaign, now=before_deadline(campaign))
    old = table.lock_version
    save(reviewer, campaign, (2,) * 12, now=before_deadline(campaign))
    with pytest.raises(service.StatisticsError) as refused:
        save(reviewer, campaign, (3,) * 12, now=before_deadline(campaign), lock_version=old)
    assert refused.value.key == "stale"
    assert table.counts() == counts((2,) * 12)


def test_office_returns_with_a_reason_and_the_corrected_table_is_resubmitted_late(session):
    campaign = make_campaign(year=2510)
    reviewer = reviewer_of(channel(OrgSystem.UNION, "huangpu"))
    office = make_user(Role.OFFICE)
    table = save(reviewer, campaign, now=before_deadline(campaign))
    service.submit_table(session, table.id, reviewer, now=before_deadline(campaign))
    with pytest.raises(service.StatisticsError) as refused:
        service.return_table(session, table.id, office, "  ")
    assert refused.value.key == "reason_required"
    service.return_table(session, table.id, office, "培训人数有误")
    assert (table.state, table.return_reason) == (StatisticsState.RETURNED, "培训人数有误")
    late = campaign.recommendation_deadline + timedelta(days=2)
    save(reviewer, campaign, (2,) * 12, now=late)
    service.submit_table(session, table.id, reviewer, now=late)
    assert table.state is StatisticsState.SUBMITTED and table.counts() == counts((2,) * 12)


def test_only_the_organizations_reviewers_file_its_table(session):
    campaign = make_campaign(year=2511)
    table = save(reviewer_of(channel(OrgSystem.UNION, "huangpu")), campaign)
    stranger = reviewer_of(channel(OrgSystem.YOUTH, "huangpu"))
    with pytest.raises(service.StatisticsError) as refused:
        service.submit_table(session, table.id, stranger)
    assert refused.value.key == "not_allowed"
    with pytest.raises(service.StatisticsError):
        service.save_table(
            session,
            make_user(Role.ENTERPRISE),
            campaign,
            counts={},
            contact_name="",
            contact_phone="",
            report_date=None,
            lock_version=0,
        )


def test_aggregation_by_system_and_by_district_or_industry(session):
    campaign = make_campaign(year=2512)
    file_all(campaign)
    agg = service.aggregate(get_session(), campaign, _label)
    union = counts(summed("union-huangpu", "union-xuhui"))
    youth = counts(summed("youth-huangpu", "youth-railway"))
    assert [(r.label, r.tables) for r in agg.by_system] == [
        ("union", 2),
        ("youth", 2),
        ("women", 0),
        ("quality", 0),
    ]
    assert agg.by_system[0].sums == union
    assert agg.by_system[1].sums == youth
    # hand sums: enterprises 10+6+7+4, people trained 120+30+45+200, women 2+1+3+2
    assert (agg.total.tables, agg.total.sums["enterprises"]) == (4, 27)
    assert agg.total.sums["people_trained"] == 395
    assert agg.total.sums["recommended_women"] == 8
    assert [(r.label, r.tables) for r in agg.by_area] == [
        ("Huangpu", 2),
        ("Xuhui", 1),
        ("Railway", 1),
    ]
    assert agg.by_area[0].sums["volunteers"] == 70
    assert agg.by_area[1].sums == counts(FIGURES["union-xuhui"])
    assert len(agg.tables) == 5
    assert [o.name for o in agg.not_filed] == [
        t.organization.name for t in agg.tables if t.state is StatisticsState.DRAFT
    ]
