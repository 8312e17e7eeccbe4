"""A reviewer counts the filled-in surveys of each scanned paper batch: the count replaces the
campaign's figure (up to it), is kept with who counted and when, audited, shown beside the
packet's survey figures, and tells the reviewer how many answers the packet is short of."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications import service as applications
from portal.applications.models import ApplicationState, FileCategory
from portal.audit import AuditEntry
from portal.db import get_session
from portal.survey import batches, service
from portal.survey.models import BatchCount, SurveyAnswer
from tests.applications.helpers import attach
from tests.factories import make_user
from tests.scoring.helpers import assigned_sheet
from tests.survey.helpers import opened

COUNT_RANGE = "Enter the number of filled-in surveys you counted: a whole number from 0 to 10000."


def _submitted(app, answers: int = 5, paper: int = 25, scans: int = 1):
    """A team packet (minimum 30) with `answers` online answers and its scan(s) in the survey
    slot, submitted with the paper standing in, at the Huangpu trade union's stage (the
    default channel reviewer's)."""
    survey = opened(paper_batch_answers=paper)
    application = survey.application
    for _ in range(scans - 1):
        attach(application, FileCategory.SURVEY)
    for n in range(answers):  # the answer page has its own tests: these are its rows
        scores = {q["key"]: 5 for q in survey_settings(application).questions}
        get_session().add(
            SurveyAnswer(
                survey_id=survey.id, device=f"phone-{n}", scores=scores, overall=5, pattern="5"
            )
        )
    get_session().flush()
    applications.submit_application(get_session(), application.id, application.created_by)
    assert application.state is ApplicationState.SUBMITTED
    return application


def survey_settings(application):
    return service.settings_of(get_session(), application.campaign_id)


def _scans(application) -> list[int]:
    return [f.id for f in batches.paper_batches(application)]


def _count(client, application, file_id: int, counted):
    return client.post(
        f"/survey/packets/{application.id}/batches/{file_id}/count",
        data={"counted": counted},
    )


def _review_page(client, application) -> str:
    response = client.get(f"/review/applications/{application.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _needed(application) -> int:
    return service.minimum_answers(survey_settings(application), application)


def _entries() -> list[AuditEntry]:
    return list(
        get_session().scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.action == "survey.batch_count")
            .order_by(AuditEntry.id)
        )
    )


def test_the_reviewers_count_replaces_the_campaign_figure_and_shows_the_shortfall(
    app, client, login
):
    application = _submitted(app)
    (scan,) = _scans(application)
    assert _needed(application) == 5  # 30, less the batch standing in for 25 until counted
    reviewer = make_user(Role.CHANNEL_REVIEWER)
    login(reviewer)
    page = _review_page(client, application)
    assert 'data-testid="batch-count-form"' in page and "not counted yet" in page
    assert 'data-testid="survey-short"' not in page

    response = _count(client, application, scan, "18")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/review/applications/{application.id}#batch-{scan}"
    )
    row = get_session().scalar(sa.select(BatchCount))
    assert (row.application_file_id, row.counted, row.counted_by_id) == (scan, 18, reviewer.id)
    assert row.counted_at is not None
    assert _needed(application) == 12  # 30 - 18: the count, not the campaign's figure
    page = _review_page(client, application)
    assert "The count of 18 filled-in surveys is recorded." in page
    assert f"18 filled-in surveys, counted by {reviewer.name}" in page
    assert "Online answers: 5; paper batches: 18; minimum: 30." in page
    assert "Short by 7 answers" in page  # 30 - 5 online - 18 on paper


def test_a_count_above_the_campaign_figure_counts_for_the_figure(app, client, login):
    application = _submitted(app)
    (scan,) = _scans(application)
    login(make_user(Role.CHANNEL_REVIEWER))
    _count(client, application, scan, "40")
    assert _needed(application) == 5
    page = _review_page(client, application)
    assert "40 filled-in surveys" in page
    assert "counts for 25, the most a batch may count for" in page
    assert 'data-testid="survey-short"' not in page


def test_batches_not_counted_yet_stand_in_together_for_one_campaign_figure(app, client, login):
    application = _submitted(app, scans=2)
    first, second = _scans(application)
    assert _needed(application) == 5  # two uploads before any count: 25, not 50
    login(make_user(Role.CHANNEL_REVIEWER))
    _count(client, application, first, "10")
    assert _needed(application) == 0  # 10 counted, the other still standing in for 25
    _count(client, application, second, "3")
    assert _needed(application) == 17  # 30 - 10 - 3
    assert "Short by 12 answers" in _review_page(client, application)


@pytest.mark.parametrize("bad", ["", "abc", "-1", "10001", "2.5", "１２", "1e3", "9" * 30])
def test_a_count_that_is_not_a_whole_number_up_to_10000_is_refused_clearly(app, client, login, bad):
    application = _submitted(app)
    (scan,) = _scans(application)
    login(make_user(Role.CHANNEL_REVIEWER))
    response = _count(client, application, scan, bad)
    assert response.status_code == 302
    assert COUNT_RANGE in _review_page(client, application)
    assert get_session().scalar(sa.select(sa.func.count()).select_from(BatchCount)) == 0
    assert _entries() == []


def test_the_refusal_is_in_chinese_for_a_chinese_reader(app, client, login):
    application = _submitted(app)
    (scan,) = _scans(application)
    login(make_user(Role.CHANNEL_REVIEWER))
    client.set_cookie("lang", "zh_Hans_CN", domain="portal.test")
    _count(client, application, scan, "很多")
    page = _review_page(client, application)
    assert "请填写您清点的已填写调查表份数：0 至 10000 之间的整数。" in page


def test_a_double_post_records_once_and_a_later_count_wins_each_audited(app, client, login):
    application = _submitted(app)
    (scan,) = _scans(application)
    first = make_user(Role.CHANNEL_REVIEWER)
    login(first)
    _count(client, application, scan, "20")
    _count(client, application, scan, "20")
    assert [e.after["counted"] for e in _entries()] == [20]
    second = make_user(Role.CHANNEL_REVIEWER, organization=first.organization)
    login(second)
    assert _count(client, application, scan, "17").status_code == 302
    rows = get_session().scalars(sa.select(BatchCount)).all()
    assert [(r.counted, r.counted_by_id) for r in rows] == [(17, second.id)]
    entries = _entries()
    assert [(e.before and e.before["counted"], e.after["counted"]) for e in entries] == [
        (None, 20),
        (20, 17),
    ]
    assert entries[1].after["filename"] == "scan.pdf" and entries[1].after["counts_for"] == 17


def test_the_office_counts_at_its_formal_check_and_not_before(app, client, login):
    application = _submitted(app)
    (scan,) = _scans(application)
    login(make_user(Role.OFFICE))
    assert _count(client, application, scan, "12").status_code == 403
    assert 'data-testid="batch-count-form"' not in _review_page(client, application)
    application.state = ApplicationState.RECOMMENDED
    get_session().flush()
    assert 'data-testid="batch-count-form"' in _review_page(client, application)
    assert _count(client, application, scan, "12").status_code == 302
    assert get_session().scalar(sa.select(BatchCount.counted)) == 12


def test_the_unit_neither_counts_nor_sees_the_counts(app, client, login):
    application = _submitted(app)
    (scan,) = _scans(application)
    login(make_user(Role.CHANNEL_REVIEWER))
    _count(client, application, scan, "18")
    login(application.created_by)
    assert _count(client, application, scan, "30").status_code == 403
    assert get_session().scalar(sa.select(BatchCount.counted)) == 18
    own = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert 'data-testid="survey-batches"' not in own and "filled-in surveys" not in own


def test_a_file_outside_the_packets_survey_slot_is_not_found(app, client, login):
    application = _submitted(app)
    other = next(f for f in application.files if f.category is not FileCategory.SURVEY)
    login(make_user(Role.CHANNEL_REVIEWER))
    assert _count(client, application, other.id, "5").status_code == 404
    assert _count(client, application, 10**12, "5").status_code == 404


def test_where_paper_cannot_stand_in_there_is_nothing_to_count(app, client, login):
    application = _submitted(app, answers=30, paper=0)
    (scan,) = _scans(application)
    login(make_user(Role.CHANNEL_REVIEWER))
    assert 'data-testid="survey-batches"' not in _review_page(client, application)
    _count(client, application, scan, "5")
    assert "This campaign does not let a scanned paper batch stand in for answers." in _review_page(
        client, application
    )
    assert get_session().scalar(sa.select(sa.func.count()).select_from(BatchCount)) == 0


def test_the_unit_returned_for_completion_is_told_the_answers_the_count_left_missing(
    app, client, login
):
    application = _submitted(app)
    (scan,) = _scans(application)
    login(make_user(Role.CHANNEL_REVIEWER))
    _count(client, application, scan, "18")
    application.state = ApplicationState.INCOMPLETE
    get_session().flush()
    with app.test_request_context():
        texts = [str(m) for m in applications.completeness(application)]
    assert "The customer survey has 5 answers; 7 more are needed (at least 12)." in texts


def test_the_expert_reads_the_count_beside_the_survey_figures_without_the_form(app, client, login):
    application = _submitted(app)
    (scan,) = _scans(application)
    reviewer = make_user(Role.CHANNEL_REVIEWER)
    login(reviewer)
    _count(client, application, scan, "18")
    application.state = ApplicationState.ACCEPTED
    assignment = assigned_sheet(app=application)
    login(assignment.expert.user)
    page = client.get(f"/scoring/assignments/{assignment.id}").get_data(as_text=True)
    assert f"18 filled-in surveys, counted by {reviewer.name}" in page
    assert "Short by 7 answers" in page
    assert 'data-testid="batch-count-form"' not in page
    assert _count(client, application, scan, "30").status_code == 403
