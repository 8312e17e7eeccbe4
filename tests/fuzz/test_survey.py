"""The public survey answer endpoint under generated input: any field, any value, any token,
with and without a device cookie; never a 5xx, and never more than one answer per device."""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.db import get_session
from portal.survey.models import SurveyAnswer
from portal.survey.questions import DEFAULT_QUESTIONS
from portal.survey.views import DEVICE_COOKIE, sign_device
from tests.fuzz.conftest import cases
from tests.fuzz.inputs import hostile_text
from tests.fuzz.settings import fuzz_settings
from tests.survey.helpers import answer_data, opened

FIELDS = [f"q_{q['key']}" for q in DEFAULT_QUESTIONS] + [
    "recommend",
    "suggestion",
    "contact",
    "started",
    "csrf_token",
]
VALUES = st.one_of(hostile_text(), st.sampled_from(["1", "5", "yes", "no", "6", "0"]))
FORMS = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=len(FIELDS))


_surveys: dict[int, object] = {}  # the survey of each app the test runs on, made once


@settings(
    fuzz_settings(200),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(
    overrides=FORMS,
    device=st.one_of(
        st.just(None), hostile_text(), st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True)
    ),
    token=st.booleans(),
)
def test_no_answer_breaks_the_survey(app, overrides, device, token):
    if id(app) not in _surveys:
        _surveys[id(app)] = opened(address_limit_per_hour=100000, survey_limit_per_minute=100000)
    survey = _surveys[id(app)]
    client = app.test_client()
    if device is not None:
        with app.test_request_context():
            client.set_cookie(DEVICE_COOKIE, sign_device(device), domain="portal.test", path="/s/")
    with app.test_request_context():
        data = answer_data()
    data.update(overrides)
    url = f"/s/{survey.token}" if token else f"/s/{overrides.get('contact', 'x')[:40]}"
    response = client.post(url, data=data)
    cases["survey"] += 1
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    count = sa.select(sa.func.count()).select_from(SurveyAnswer)
    per_device = count.where(SurveyAnswer.survey_id == survey.id).group_by(SurveyAnswer.device)
    assert all(n == 1 for n in get_session().scalars(per_device))
