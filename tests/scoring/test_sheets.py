"""Score sheets: totals with bonus caps and deductions, validation, pledge, lock and reopen."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.audit import AuditEntry
from portal.db import get_session
from portal.errors import Invalid
from portal.scoring import sheets
from portal.scoring.errors import Refused
from portal.scoring.models import SheetStatus
from tests.scoring.helpers import FULL_SCORES, assigned_sheet, office_user


@pytest.fixture
def assignment(app):
    return assigned_sheet()


def _save(a, entries, **kwargs):
    return sheets.save_sheet(get_session(), None, a.expert, a.sheet, entries, **kwargs)


def test_total_is_criteria_plus_capped_bonus_minus_deductions(assignment):
    entries = {
        **FULL_SCORES,
        "regulator": "1",
        "praise_letter": "5",
        "complaint": "1",
        "criticism": "2",
    }
    sheet = _save(assignment, entries, comment="服务规范，数据翔实")
    # criteria 12.5+18+13+12+22+8 = 85.5; bonus 20 + 5×2 = 30; deductions 5 + 2×3 = 11
    assert sheet.criteria_points == Decimal("85.5")
    assert sheet.bonus_points == Decimal("30")
    assert sheet.deduction_points == Decimal("11")
    assert sheet.total == Decimal("104.5")
    lines = {line.rubric_item.code: line.points for line in sheet.items}
    assert lines["praise_letter"] == Decimal("10")
    assert lines["criticism"] == Decimal("6")
    assert sheet.comment == "服务规范，数据翔实"


def test_a_draft_may_leave_criteria_unscored(assignment):
    sheet = _save(assignment, {"idea": "15", "results": ""})
    assert sheet.total == Decimal("15")
    assert sheet.status is SheetStatus.DRAFT


def test_every_bad_entry_is_reported_at_once_and_nothing_is_saved(assignment):
    _save(assignment, {"idea": "10"})
    with pytest.raises(Invalid) as err:
        _save(assignment, {"idea": "12", "standards": "20.5", "skills": "7.3", "media": "-1"})
    assert set(err.value.problems) == {"standards", "skills", "media"}
    assert str(err.value.problems["standards"]) == "Give from 0 to 20 points."
    assert str(err.value.problems["skills"]) == "Score in steps of half a point."
    get_session().refresh(assignment.sheet)
    assert assignment.sheet.total == Decimal("10")


def test_nothing_is_read_or_saved_before_the_pledge(app):
    a = assigned_sheet(pledge=False)
    with pytest.raises(Refused) as err:
        _save(a, FULL_SCORES)
    assert err.value.key == "pledge_required"


def test_pledge_is_recorded_once_with_its_time(app):
    a = assigned_sheet(pledge=False)
    first = sheets.accept_pledge(get_session(), None, a.expert, a.application.campaign)
    again = sheets.accept_pledge(get_session(), None, a.expert, a.application.campaign)
    assert first is again
    assert first.accepted_at is not None
    assert "保密" in first.text


def test_lock_needs_every_criterion_then_refuses_changes(assignment):
    _save(assignment, {"idea": "12"})
    with pytest.raises(Refused) as err:
        sheets.lock_sheet(
            get_session(), assignment.expert.user, assignment.expert, assignment.sheet
        )
    assert err.value.key == "incomplete"
    assert set(err.value.params["problems"]) == {
        "standards",
        "skills",
        "innovation",
        "results",
        "impact",
    }
    _save(assignment, FULL_SCORES)
    sheet = sheets.lock_sheet(
        get_session(), assignment.expert.user, assignment.expert, assignment.sheet
    )
    assert sheet.locked and sheet.locked_at is not None
    with pytest.raises(Refused) as err:
        _save(assignment, {"idea": "1"})
    assert err.value.key == "sheet_locked"


def test_office_reopens_with_a_reason_and_the_expert_corrects(assignment):
    _save(assignment, FULL_SCORES)
    sheets.lock_sheet(get_session(), assignment.expert.user, assignment.expert, assignment.sheet)
    with pytest.raises(Refused) as err:
        sheets.reopen_sheet(get_session(), office_user(), assignment.sheet, "  ")
    assert err.value.key == "reason_required"
    sheets.reopen_sheet(get_session(), office_user(), assignment.sheet, "创新项评分有误")
    sheet = _save(assignment, {"innovation": "14"})
    assert sheet.total == Decimal("87.5")
    assert sheet.reopen_count == 1
    entry = get_session().scalar(sa.select(AuditEntry).where(AuditEntry.action == "sheet.reopen"))
    assert entry.reason == "创新项评分有误"
    assert entry.before["status"] == "locked" and entry.after["status"] == "draft"


def test_a_stale_lock_version_is_refused(assignment):
    version = assignment.sheet.lock_version
    _save(assignment, {"idea": "10"}, lock_version=version)
    with pytest.raises(Refused) as err:
        _save(assignment, {"idea": "11"}, lock_version=version)
    assert err.value.key == "stale"
    assert assignment.sheet.total == Decimal("10")


def test_another_expert_cannot_write_the_sheet(assignment):
    other = assigned_sheet(campaign=assignment.application.campaign)
    with pytest.raises(Refused) as err:
        sheets.save_sheet(get_session(), None, other.expert, assignment.sheet, {"idea": "1"})
    assert err.value.key == "not_assigned"
