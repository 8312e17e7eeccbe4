"""The demo's packets carry believable survey results."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.audit import AuditEntry
from portal.campaigns.models import Campaign
from portal.demo import seed_demo
from portal.survey import batches, figures, rules, service
from portal.survey.models import BatchCount, Survey


def test_demo_packets_carry_believable_survey_results(session):
    seed_demo(today=date(2026, 9, 1))
    campaign = session.scalars(sa.select(Campaign).where(Campaign.year == 2026)).one()
    settings = service.settings_of(session, campaign.id)
    assert settings is not None and len(settings.questions) == 8
    surveys = session.scalars(sa.select(Survey).order_by(Survey.id)).all()
    assert len(surveys) >= 5
    for survey in surveys:
        result = figures.compute(session, survey, settings)
        assert result["answers"] >= survey.application.category.min_surveys
        assert 75 <= float(result["satisfaction"]) <= 100
        assert all(3.5 <= float(mean) <= 5 for mean in result["means"].values())
        assert len(result["by_day"]) >= 5  # spread over days, not typed in at once
    flagged = [figures.compute(session, s, settings)["flag_counts"] for s in surveys]
    assert sum(1 for counts in flagged if counts.get("burst")) == 1
    assert seed_demo(today=date(2026, 9, 1))  # seeding again adds nothing
    assert session.scalar(sa.select(sa.func.count()).select_from(Survey)) == len(surveys)


def test_one_demo_packet_carries_a_scanned_batch_its_reviewer_counted(session):
    seed_demo(today=date(2026, 9, 1))
    (count,) = session.scalars(sa.select(BatchCount)).all()
    application = count.batch.application
    assert count.batch.stored_file.filename.endswith(".pdf")
    assert rules.can_count_batches(count.counted_by, application)  # its stage's reviewer
    settings = service.settings_of(session, application.campaign_id)
    assert 0 < count.counted < settings.paper_batch_answers
    assert batches.paper_credit(session, settings, application) == count.counted
    audited = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "survey.batch_count"))
    assert audited.after["counted"] == count.counted
    seed_demo(today=date(2026, 9, 1))
    assert session.scalar(sa.select(sa.func.count()).select_from(BatchCount)) == 1
