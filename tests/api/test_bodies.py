"""Request bodies are read through their models: every wrong field is named at once, in the
caller's language, in the documented refusal shape, and nothing changes."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from portal.organizations.models import OrgSystem
from portal.review.models import Decision, StageDecision
from tests.api.helpers import auth_headers
from tests.api.test_applications import Api
from tests.applications.helpers import make_draft
from tests.factories import make_application, make_user
from tests.review.helpers import make_world


@pytest.fixture
def api(client):
    return Api(client)


def test_a_decision_with_wrong_types_names_every_field_and_decides_nothing(api, session):
    world = make_world()
    app = make_application(
        campaign=world.campaign, stage_position=0, created_by=make_user(Role.ENTERPRISE)
    )
    session.commit()
    response = api(
        "POST",
        f"/api/v1/applications/{app.id}/decisions",
        world.reviewer(OrgSystem.UNION),
        schema="ApplicationError",
        json={"decision": "maybe", "opinion": 5, "lock_version": "3"},
    )
    assert response.status_code == 422
    assert response.get_json()["error"] == {
        "code": "invalid",
        "message": "Some fields need correcting; see the messages beside them.",
        "problems": {
            "decision": f"The decision must be one of: {', '.join(Decision)}.",
            "opinion": "Send text here.",
            "lock_version": "lock_version must be a whole number.",
        },
    }
    assert session.query(StageDecision).count() == 0


def test_body_problems_are_in_chinese_by_default(client, session):
    app = make_draft()
    session.commit()
    response = client.patch(
        f"/api/v1/applications/{app.id}",
        json={"lock_version": app.lock_version, "narrative": ["不是文本"], "members": [1]},
        headers=auth_headers(app.created_by),
    )
    assert response.status_code == 422
    assert response.headers["Content-Language"] == "zh-Hans-CN"
    error = response.get_json()["error"]
    assert error["message"] == "部分内容需要修改，请查看相应栏目旁的提示。"
    assert set(error["problems"]) == {"narrative", "members-0"}
    assert all(not m.isascii() for m in error["problems"].values()), error["problems"]
