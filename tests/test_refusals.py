"""Refusals: every code the code raises has words, in Chinese and English, with its facts; a
guard's refusal reaches the page and the API as it did when each package kept its own table."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.organizations.models import OrgSystem
from portal.refusals import DomainError, Refusal, load_all, registered, render
from portal.review import service as review
from portal.review.models import Decision
from tests.api.test_applications import Api
from tests.applications.helpers import make_submitted
from tests.factories import make_application
from tests.review.helpers import make_world

UNION = OrgSystem.UNION
PORTAL = Path(__file__).resolve().parents[1] / "portal"
# One value for every parameter a message names, to render the whole registry.
SAMPLE = {
    "when": datetime(2026, 11, 10, 9, 0, tzinfo=UTC),
    "count": 3,
    "quota": 2,
    "max": 5,
    "value": "x",
    "ranks": "1, 2",
    "case": "YY-2026-0001",
    "retry_after": 120,
    "organization": "市总工会",
    "current": _l("Draft"),
    "target": _l("Open"),
    "year": 2026,
    "problems": (_l("The date cannot be in the future."),),
}


def _namespaces() -> dict[str, str]:
    """Each DomainError subclass's name, with the namespace its keys are in."""
    load_all()
    found, todo = {}, [DomainError]
    while todo:
        cls = todo.pop()
        found[cls.__name__] = cls.namespace
        todo.extend(cls.__subclasses__())
    return found


def _strings(node) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def _name(node) -> str | None:
    return node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)


def _codes_in(tree: ast.AST, errors: dict[str, str]) -> set[str]:
    codes = set()
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        name = _name(call.func)
        if name == "Refusal" and call.args:
            codes.update(_strings(call.args[0]))
        elif name in errors and call.args:
            codes.update(f"{errors[name]}.{key}" for key in _strings(call.args[0]))
        elif name == "Workflow":
            keywords = {k.arg: k.value for k in call.keywords}
            namespace = errors[_name(keywords.get("error")) or "TransitionRefused"]
            keys = {"stale"}
            for refused in ("refused_move", "refused_actor", "refused_reason"):
                keys.update(_strings(keywords[refused]) if refused in keywords else ["not_allowed"])
            codes.update(key if "." in key else f"{namespace}.{key}" for key in keys)
    return codes


def test_every_refusal_the_code_raises_has_a_message():
    errors = _namespaces()
    codes = set()
    for path in PORTAL.rglob("*.py"):
        codes |= _codes_in(ast.parse(path.read_text(encoding="utf-8")), errors)
    assert len(codes) > 120  # the walk found the guards, the services and the workflows
    assert sorted(codes - set(registered())) == []


def test_every_registered_message_says_its_facts_in_chinese_and_in_english(app):
    with app.test_request_context():
        for code in registered():
            refusal = Refusal(code, SAMPLE)
            with force_locale("en"):
                english = render(refusal)
            with force_locale("zh_Hans_CN"):
                chinese = render(refusal)
            assert english and "%(" not in english, code
            assert chinese != english and "%(" not in chinese, code


def test_a_refusal_renders_its_parameters_in_the_readers_language(app):
    over = Refusal("ranking.over_quota", {"count": 5, "quota": 3})
    late = Refusal("application.deadline_passed", {"when": datetime(2026, 11, 10, 9, tzinfo=UTC)})
    with app.test_request_context():
        with force_locale("en"):
            assert render(over) == (
                "You ranked 5 applications; your channel may recommend at most 3 in this "
                "category. Leave the rank empty for those you do not recommend."
            )
            assert render(late) == "Applications closed at 2026-11-10 17:00 (Beijing time)."
        with force_locale("zh_Hans_CN"):
            assert render(over) == (
                "您对5份申报进行了排序，本渠道在该类别中最多可推荐3份。不推荐的申报请将排序留空。"
            )
            assert render(late) == "申报已于2026-11-10 17:00（北京时间）截止。"


def test_a_refusal_is_a_value_its_error_carries():
    err = DomainError(Refusal("review.wrong_stage"))
    assert err.refusal == Refusal("review.wrong_stage", {})
    assert (err.key, dict(err.params)) == ("wrong_stage", {})
    with pytest.raises(ValueError):
        Refusal("wrong_stage")  # a code names its namespace


def test_a_guards_refusal_is_flashed_on_the_page_in_its_words(client, login, session):
    world = make_world()
    app = make_submitted(campaign=world.campaign)
    review.decide(session, app.id, world.reviewer(UNION), Decision.FORWARD)
    session.commit()
    login(app.created_by)
    response = client.post(f"/applications/{app.id}/withdraw", follow_redirects=True)
    # The page is in Chinese, the default; the words are the catalogue's for the same source.
    assert "已有评审环节对该申报作出处理，不能再撤回。" in response.get_data(as_text=True)


def test_the_api_answers_a_guards_refusal_with_its_code_and_words(client, session):
    world = make_world()
    app = make_application(campaign=world.campaign, stage_position=1)
    session.commit()
    response = Api(client)(
        "POST",
        f"/api/v1/applications/{app.id}/decisions",
        world.reviewer(UNION),
        schema="ApplicationError",
        json={"decision": "forward"},
    )
    assert response.status_code == 409
    assert response.get_json() == {
        "error": {
            "code": "wrong_stage",
            "message": "This application is not at your organization's review stage.",
        }
    }
