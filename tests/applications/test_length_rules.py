"""The length rules of the form (attachment 2) are campaign data, counted in Chinese characters
as narratives are, and enforced when the packet is submitted."""

from __future__ import annotations

import pytest

from portal.applications import service
from portal.applications.models import ApplicationState
from tests.applications.helpers import make_complete

# Latin letters, digits and punctuation do not count towards a limit.
NOISE = " ABC 123，。；"


def _submit_problems(app, session, draft) -> list[str]:
    with app.test_request_context():
        try:
            service.submit_application(session, draft.id, draft.created_by)
        except service.Incomplete as err:
            return [str(m) for m in err.missing]
    return []


@pytest.mark.parametrize("limit", [800, 120])
@pytest.mark.parametrize("over", [0, 1], ids=["at-limit", "one-over"])
def test_the_summary_of_deeds_is_held_to_its_categorys_limit(app, session, limit, over):
    draft = make_complete()
    draft.category.summary_max_chars = limit
    summary = "服" * (limit + over) + NOISE
    service.update_application(session, draft, draft.created_by, fields={"deeds_summary": summary})
    problems = _submit_problems(app, session, draft)
    if over:
        assert problems == [
            f"“Summary of deeds” has {limit + 1} Chinese characters; at most {limit} are allowed."
        ]
        assert draft.state is ApplicationState.DRAFT
    else:
        assert problems == []
        assert draft.state is ApplicationState.SUBMITTED


@pytest.mark.parametrize(
    "rule, count, ok",
    [
        ("min", 0, True),
        ("min", -1, False),
        ("max", 0, True),
        ("max", 1, False),
    ],
    ids=["narrative-at-min", "narrative-one-under", "narrative-at-max", "narrative-one-over"],
)
def test_the_narrative_is_held_to_its_categorys_limits_on_submission(app, session, rule, count, ok):
    draft = make_complete()
    cat = draft.category
    cat.narrative_min_chars, cat.narrative_max_chars = 300, 400
    chars = (300 if rule == "min" else 400) + count
    service.update_application(
        session, draft, draft.created_by, fields={}, narrative="服" * chars + NOISE
    )
    problems = _submit_problems(app, session, draft)
    if ok:
        assert problems == []
    elif rule == "min":
        assert problems == [
            "The introductory material has 299 Chinese characters; at least 300 are needed."
        ]
    else:
        assert problems == [
            "The introductory material has 401 Chinese characters; at most 400 are allowed."
        ]


def test_a_summary_longer_than_the_old_800_characters_in_all_is_kept_when_its_chinese_fits(
    app, session
):
    draft = make_complete()
    summary = "服" * 800 + "，" * 100  # 900 characters, 800 of them Chinese
    service.update_application(session, draft, draft.created_by, fields={"deeds_summary": summary})
    assert draft.deeds_summary == summary
    assert _submit_problems(app, session, draft) == []
