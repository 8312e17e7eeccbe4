"""Customers answer a packet's survey: counted once per device, within the limits, in the
window; the enterprise's packet cannot be submitted under the minimum; the figures freeze."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.applications import service as applications
from portal.applications.models import ApplicationState, FileCategory
from portal.clock import SHANGHAI
from portal.db import get_session, utcnow
from portal.notice.models import ThrottleCounter
from portal.survey import answering
from portal.survey.errors import SurveyError
from portal.survey.models import FrozenFigures, SurveyAnswer
from portal.survey.questions import DEFAULT_QUESTIONS
from tests.applications.helpers import attach, make_complete
from tests.conftest import log_in
from tests.survey.helpers import answer_data, opened, send, with_settings


def _answers(survey) -> list[SurveyAnswer]:
    """The survey's answers in the order they came (without an ORDER BY, PostgreSQL may read
    them through any index, in its order)."""
    found = sa.select(SurveyAnswer).where(SurveyAnswer.survey_id == survey.id)
    return list(get_session().scalars(found.order_by(SurveyAnswer.id)))


def test_a_customer_answers_once_and_the_same_phone_is_refused_a_second_time(app):
    survey = opened()
    phone, first = send(app, survey)
    assert first.status_code == 200
    assert "Thank you for your answer" in first.get_data(as_text=True)
    _, second = send(app, survey, client=phone)
    assert second.status_code == 409
    assert "already answered this survey" in second.get_data(as_text=True)
    [stored] = _answers(survey)
    assert stored.overall == 5 and stored.recommend is True and stored.flags == []


def test_an_answer_without_the_device_cookie_is_refused(app):
    survey = opened()
    response = app.test_client().post(f"/s/{survey.token}", data=answer_data())
    assert response.status_code == 422
    assert "open the survey page again" in response.get_data(as_text=True)
    assert _answers(survey) == []


def test_a_missing_item_is_asked_for_and_nothing_is_stored(app):
    survey = opened()
    data = answer_data()
    del data["q_overall"]
    _, response = send(app, survey, data)
    assert response.status_code == 422
    assert "Choose one answer." in response.get_data(as_text=True)
    assert _answers(survey) == []


def test_an_unknown_token_is_a_404(client):
    assert client.get("/s/nosuchtoken").status_code == 404


def test_a_closed_survey_takes_no_answers(app):
    survey = opened(
        closes_at=utcnow() - timedelta(minutes=1), opens_at=utcnow() - timedelta(days=1)
    )
    _, response = send(app, survey)
    assert response.status_code == 422
    assert "This survey is closed" in response.get_data(as_text=True)
    assert _answers(survey) == []


def test_one_address_is_held_to_its_limit_per_survey(app):
    survey = opened(address_limit_per_hour=3)
    codes = [send(app, survey, address="198.51.100.7")[1].status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert len(_answers(survey)) == 3


def test_an_answer_beyond_the_surveys_limit_is_refused_and_leaves_no_count(app):
    survey = opened(survey_limit_per_minute=2)
    session = get_session()
    target = answering.answer_target(session, survey.token)
    answer = answering.Answer({q["key"]: 5 for q in DEFAULT_QUESTIONS}, True, "", "", 30)
    now = utcnow()  # one minute's window for all three

    def submit(i: int) -> int:
        address = f"198.51.100.{i}"
        return answering.submit_answer(
            session, target, answer, device=f"p{i}", address=address, now=now
        )

    submit(1), submit(2)
    with pytest.raises(SurveyError) as refused, session.begin_nested():  # the request's rollback
        submit(3)
    assert refused.value.key == "too_busy"
    counters = sa.select(ThrottleCounter.key, ThrottleCounter.hits).where(
        ThrottleCounter.scope.in_(["survey", "survey-address"])
    )
    assert dict(session.execute(counters).all()) == {
        str(survey.id): 2,
        f"{survey.id}:198.51.100.1": 1,
        f"{survey.id}:198.51.100.2": 1,
    }
    assert sorted(a.device for a in _answers(survey)) == ["p1", "p2"]


def test_a_burst_is_flagged_with_its_evidence_and_kept(app):
    survey = opened()
    for i in range(20):  # twenty customers who each answered differently
        data = answer_data(q_attitude=str(1 + i % 5), q_skill=str(1 + i // 5))
        assert send(app, survey, data)[1].status_code == 200
    answers = _answers(survey)
    assert len(answers) == 20
    assert all(a.flags == [] for a in answers[:19])
    burst = [f for f in answers[19].flags if f["code"] == "burst"]
    assert burst == [{"code": "burst", "evidence": {"answers": 20, "minutes": 10}}]


def test_answers_too_fast_out_of_hours_and_from_one_address_are_flagged(app):
    local = utcnow().astimezone(SHANGHAI)
    minute = local.hour * 60 + local.minute
    closed_now = (780, 1440) if minute < 720 else (0, 600)  # opening hours that exclude now
    survey = opened(hours=closed_now)
    for _ in range(5):
        send(app, survey, answer_data(seconds_ago=2), address="192.0.2.9")
    *earlier, last = _answers(survey)
    assert {f["code"] for f in last.flags} == {"too_fast", "same_address", "out_of_hours"}
    assert {
        "code": "same_address",
        "evidence": {"address": "192.0.2.9", "answers": 5},
    } in last.flags
    assert "same_address" not in {f["code"] for f in earlier[-1].flags}


def test_an_answer_from_the_enterprises_own_network_is_flagged(app):
    survey = opened()
    staff = app.test_client()
    log_in(staff, survey.application.created_by)
    page = staff.get(
        f"/survey/packets/{survey.application_id}", environ_base={"REMOTE_ADDR": "10.20.30.40"}
    )
    assert page.status_code == 200
    send(app, survey, address="10.20.30.99")
    [stored] = _answers(survey)
    assert stored.flags == [
        {"code": "enterprise_network", "evidence": {"network": "10.20.30.0/24"}}
    ]


def test_a_packet_under_the_minimum_cannot_be_submitted_and_is_told_how_many_more(app):
    survey = opened()
    application = survey.application
    for _ in range(3):
        send(app, survey)
    with app.test_request_context(), pytest.raises(applications.Incomplete) as err:
        applications.submit_application(get_session(), application.id, application.created_by)
    with app.test_request_context():
        texts = [str(m) for m in err.value.missing]
    assert "The customer survey has 3 answers; 27 more are needed (at least 30)." in texts


def test_a_packet_without_a_survey_is_told_to_open_one(app):
    application = make_complete()
    with_settings(application)
    with app.test_request_context():
        texts = [str(m) for m in applications.completeness(application)]
    assert "Open the customer survey and collect at least 30 answers." in texts


def test_a_scanned_paper_batch_stands_in_for_the_count_the_office_set(app):
    survey = opened(paper_batch_answers=25)
    application = survey.application  # make_complete uploaded a scan in the survey slot
    assert any(f.category is FileCategory.SURVEY for f in application.files)
    for _ in range(4):
        send(app, survey)
    with app.test_request_context():
        texts = [str(m) for m in applications.completeness(application)]
    assert "The customer survey has 4 answers; 1 more are needed (at least 5)." in texts


def test_the_same_pattern_over_and_over_is_flagged(app):
    survey = opened()
    for _ in range(10):
        send(app, survey)
    *earlier, last = _answers(survey)
    assert last.flags == [
        {"code": "same_pattern", "evidence": {"pattern": "55555555", "answers": 10}}
    ]
    assert earlier[-1].flags == []


def test_enough_answers_let_the_packet_through_and_the_figures_are_frozen(app):
    survey = opened()
    application = survey.application
    application.category.min_surveys = 4
    get_session().flush()
    for score in (5, 5, 4, 2):
        assert send(app, survey, answer_data(score))[1].status_code == 200
    with app.test_request_context():
        assert [str(m) for m in applications.completeness(application)] == []
    version = applications.submit_application(get_session(), application.id, application.created_by)
    assert application.state is ApplicationState.SUBMITTED
    frozen = get_session().get(FrozenFigures, version.id).figures
    assert frozen["answers"] == 4
    assert frozen["satisfaction"] == "75.0"
    assert frozen["means"]["attitude"] == "4.0"
    send(app, survey)  # a later answer changes the live figures, not the frozen ones
    assert get_session().get(FrozenFigures, version.id).figures["answers"] == 4


def test_campaigns_without_an_online_survey_ask_for_nothing(app):
    application = make_complete()
    attach(application, FileCategory.SURVEY)
    with app.test_request_context():
        assert applications.completeness(application) == []


def test_campaigns_without_an_online_survey_ask_for_the_scanned_surveys(app):
    application = make_complete(scanned_surveys=False)
    with app.test_request_context():
        assert [str(m) for m in applications.completeness(application)] == [
            "Upload the customer evaluation surveys."
        ]


def test_enough_online_answers_need_no_scanned_surveys(app):
    survey = opened(make_complete(scanned_surveys=False))
    survey.application.category.min_surveys = 2
    get_session().flush()
    for _ in range(2):
        send(app, survey)
    with app.test_request_context():
        assert [str(m) for m in applications.completeness(survey.application)] == []


def test_control_characters_in_free_text_are_dropped_not_stored(app):
    survey = opened()
    _, response = send(app, survey, answer_data(suggestion="很好\x00\x07！", contact="\x00138"))
    assert response.status_code == 200
    [stored] = _answers(survey)
    assert (stored.suggestion, stored.contact) == ("很好！", "138")
