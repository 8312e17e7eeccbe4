"""Objections and case lookups under parallel requests: the flood limits hold exactly."""

from __future__ import annotations

import time

import sqlalchemy as sa
from markupsafe import escape

from portal.notice.errors import NoticeError
from portal.notice.forms import form_started_token
from portal.notice.models import Objection
from tests.concurrency.conftest import client_for, race, seeded
from tests.notice.helpers import REASON, objection, open_now

ADDRESS = "203.0.113.7"


def test_twenty_parallel_objections_from_one_address_let_exactly_the_limit_through(racing_app):
    racing_app.config.update(NOTICE_OBJECTIONS_PER_ADDRESS_HOUR=10)
    with seeded(racing_app):
        campaign, notice, apps = open_now()
        url = f"/notice/{campaign.year}/candidates/{apps[0].id}/objection"
    with racing_app.test_request_context():
        started = form_started_token(time.time() - 60)
        refusal = NoticeError("too_many_from_address").message

    def send(i: int) -> int:
        data = {
            "name": "赵敏",
            "mobile": f"139{i:08d}",
            "email": "",
            "reason": f"{REASON}（第{i}份）",
            "website": "",
            "started": started,
        }
        response = client_for(racing_app).post(
            url, data=data, environ_base={"REMOTE_ADDR": ADDRESS}
        )
        assert response.status_code in (200, 422), response.status_code
        if response.status_code == 422:
            assert escape(refusal) in response.get_data(as_text=True)
        return response.status_code

    statuses = race(20, send)
    assert statuses.count(200) == 10 and statuses.count(422) == 10
    with seeded(racing_app) as session:
        assert session.scalar(sa.select(sa.func.count(Objection.id))) == 10
        assert (
            session.scalar(
                sa.select(sa.func.count(Objection.id)).where(Objection.ip_address == ADDRESS)
            )
            == 10
        )


def test_parallel_case_lookups_from_one_address_stop_at_the_limit(racing_app):
    racing_app.config.update(NOTICE_LOOKUPS_PER_ADDRESS_HOUR=5, NOTICE_LOOKUPS_PER_CASE_HOUR=50)
    with seeded(racing_app):
        campaign, notice, apps = open_now()
        case = objection(notice, apps[0]).case_number

    def look(i: int) -> int:
        response = client_for(racing_app).get(
            "/api/v1/notice/objections/status",
            query_string={"case": case, "mobile": "13800138000"},
            environ_base={"REMOTE_ADDR": ADDRESS},
        )
        assert response.status_code in (200, 429), response.status_code
        return response.status_code

    statuses = race(16, look)
    assert statuses.count(200) == 5 and statuses.count(429) == 11
