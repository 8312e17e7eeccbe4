"""Customers answering one survey at once: nothing lost, nothing doubled, the limits held."""

from __future__ import annotations

import sqlalchemy as sa

from portal.survey.models import SurveyAnswer
from portal.survey.views import DEVICE_COOKIE, sign_device
from tests.concurrency.conftest import client_for, race, seeded
from tests.survey.helpers import answer_data, opened


def _survey(app, **settings) -> tuple[int, str]:
    with seeded(app):
        survey = opened(**settings)
        return survey.id, survey.token


def _post(app, token: str, device: str, address: str) -> int:
    with app.test_request_context():
        data, cookie = answer_data(), sign_device(device)
    client = client_for(app)
    client.set_cookie(DEVICE_COOKIE, cookie, domain="portal.test", path="/s/")
    response = client.post(f"/s/{token}", data=data, environ_base={"REMOTE_ADDR": address})
    assert response.status_code < 500, response.status_code
    return response.status_code


def _stored(app, survey_id: int) -> list[str]:
    with seeded(app) as session:
        return list(
            session.scalars(
                sa.select(SurveyAnswer.device).where(SurveyAnswer.survey_id == survey_id)
            )
        )


def test_thirty_customers_at_once_are_all_counted_once(racing_app):
    survey_id, token = _survey(racing_app, survey_limit_per_minute=1000)
    statuses = race(30, lambda i: _post(racing_app, token, f"phone-{i}", f"198.51.100.{i + 1}"))
    assert statuses == [200] * 30
    devices = _stored(racing_app, survey_id)
    assert sorted(devices) == sorted(f"phone-{i}" for i in range(30))


def test_one_phone_sending_ten_times_at_once_is_counted_once(racing_app):
    survey_id, token = _survey(racing_app)
    statuses = race(10, lambda i: _post(racing_app, token, "one-phone", f"198.51.100.{i + 1}"))
    assert sorted(statuses) == [200] + [409] * 9
    assert _stored(racing_app, survey_id) == ["one-phone"]


def test_parallel_answers_from_one_address_stop_at_its_limit(racing_app):
    survey_id, token = _survey(racing_app, address_limit_per_hour=5)
    statuses = race(15, lambda i: _post(racing_app, token, f"phone-{i}", "203.0.113.9"))
    assert statuses.count(200) == 5 and statuses.count(429) == 10
    assert len(_stored(racing_app, survey_id)) == 5
