"""The declared tables of score sheets and assignments: every pair of states, every role, the
guards, and no state written anywhere else in the portal."""

from __future__ import annotations

import ast
from itertools import product
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.audit import AuditEntry
from portal.db import get_session, utcnow
from portal.scoring import assignment as assigning
from portal.scoring import sheets
from portal.scoring.errors import Refused
from portal.scoring.models import AssignmentStatus, SheetStatus, WithdrawalKind
from portal.scoring.workflow import ASSIGNMENT_WORKFLOW, SHEET_WORKFLOW, fire
from tests.factories import make_user
from tests.scoring.helpers import FULL_SCORES, assigned_sheet, make_expert, office_user, panel_for

A = AssignmentStatus
S = SheetStatus


# What the programme allows, written out by hand: (source, target) -> (move, roles).
SHEET_MOVES = {
    (S.DRAFT, S.LOCKED): ("lock", {Role.EXPERT}),
    (S.LOCKED, S.DRAFT): ("reopen", {Role.OFFICE}),
}
ASSIGNMENT_MOVES = {
    (A.ACTIVE, A.WITHDRAWN): ("withdraw", {Role.EXPERT}),
    (A.RESERVE, A.WITHDRAWN): ("withdraw", {Role.EXPERT}),
    (A.RESERVE, A.ACTIVE): ("promote", {Role.OFFICE}),
    (A.WITHDRAWN, A.RELEASED): ("reassign", {Role.OFFICE}),
}


def _declared(workflow):
    return {pair: (t.name, set(t.by)) for pair, t in workflow.transitions.items()}


def test_the_tables_declare_exactly_the_programmes_moves():
    assert _declared(SHEET_WORKFLOW) == SHEET_MOVES
    assert _declared(ASSIGNMENT_WORKFLOW) == ASSIGNMENT_MOVES
    assert SHEET_WORKFLOW.transitions[(S.LOCKED, S.DRAFT)].needs_reason
    assert ASSIGNMENT_WORKFLOW.transitions[(A.ACTIVE, A.WITHDRAWN)].needs_reason
    assert ASSIGNMENT_WORKFLOW.transitions[(A.RESERVE, A.WITHDRAWN)].needs_reason


def _actor(role: Role, expert):
    """The expert's own login for the expert role (so only the role decides), else a new user."""
    return expert.user if role is Role.EXPERT else make_user(role)


def _entries(obj) -> list[AuditEntry]:
    return list(
        get_session().scalars(
            sa.select(AuditEntry)
            .where(
                AuditEntry.object_type == type(obj).__tablename__,
                AuditEntry.object_id == str(obj.id),
            )
            .order_by(AuditEntry.id)
        )
    )


def _walk(workflow, moves, obj, source, target, changes, owner):
    """Every role but the allowed ones is refused and changes nothing; the allowed role moves
    obj and writes one audit entry named '<workflow>.<move>'."""
    name, allowed = moves.get((source, target), (None, set()))
    entries = len(_entries(obj))
    for role in Role:
        if role in allowed:
            continue
        with pytest.raises(Refused) as err:
            fire(get_session(), workflow, obj, target, _actor(role, owner), **changes)
        assert err.value.key == "not_allowed", role
        assert obj.status is source
        assert len(_entries(obj)) == entries
    for role in allowed:
        fire(get_session(), workflow, obj, target, _actor(role, owner), **changes)
        get_session().flush()
        assert obj.status is target
        entry = _entries(obj)[-1]
        assert entry.action == f"{workflow.name}.{name}"
        assert entry.before == {"status": source.value}
        assert entry.after["status"] == target.value
        assert len(_entries(obj)) == entries + 1


# --- score sheets ---------------------------------------------------------------------------


def _sheet_in(status: SheetStatus):
    a = assigned_sheet()
    sheets.save_sheet(get_session(), a.expert.user, a.expert, a.sheet, FULL_SCORES)
    if status is S.LOCKED:
        a.sheet.status, a.sheet.locked_at = S.LOCKED, utcnow()
        get_session().flush()
    return a


@pytest.mark.parametrize("source,target", list(product(S, S)))
def test_every_pair_of_sheet_states_follows_the_table(app, source, target):
    a = _sheet_in(source)
    changes = {
        "reason": "创新项评分有误",
        "changes": {"locked_at": utcnow() if target is S.LOCKED else None},
    }
    _walk(SHEET_WORKFLOW, SHEET_MOVES, a.sheet, source, target, changes, a.expert)
    if (source, target) in SHEET_MOVES:
        assert (a.sheet.locked_at is not None) is (target is S.LOCKED)


def test_an_expert_may_not_lock_another_experts_sheet(app):
    a = _sheet_in(S.DRAFT)
    other = make_expert("旁人")
    with pytest.raises(Refused) as err:
        fire(get_session(), SHEET_WORKFLOW, a.sheet, S.LOCKED, other.user)
    assert err.value.key == "not_assigned"
    assert a.sheet.status is S.DRAFT


def test_the_table_refuses_a_lock_without_pledge_or_with_a_criterion_unscored(app):
    unpledged = assigned_sheet(pledge=False)
    with pytest.raises(Refused) as err:
        fire(get_session(), SHEET_WORKFLOW, unpledged.sheet, S.LOCKED, unpledged.expert.user)
    assert err.value.key == "pledge_required"
    unscored = assigned_sheet()
    with pytest.raises(Refused) as err:
        fire(get_session(), SHEET_WORKFLOW, unscored.sheet, S.LOCKED, unscored.expert.user)
    assert err.value.key == "incomplete"


def test_reopening_needs_a_reason(app):
    a = _sheet_in(S.LOCKED)
    with pytest.raises(Refused) as err:
        fire(get_session(), SHEET_WORKFLOW, a.sheet, S.DRAFT, office_user(), reason="  ")
    assert err.value.key == "not_allowed"
    assert a.sheet.status is S.LOCKED and a.sheet.locked_at is not None


def test_the_office_locking_an_experts_sheet_is_refused_and_nothing_changes(app):
    a = _sheet_in(S.DRAFT)
    with pytest.raises(Refused) as err:
        sheets.lock_sheet(get_session(), office_user(), a.expert, a.sheet)
    assert err.value.key == "not_allowed"
    get_session().flush()
    assert a.sheet.status is S.DRAFT and a.sheet.locked_at is None
    assert [e.action for e in _entries(a.sheet)] == ["sheet.save"]


def test_lock_and_reopen_write_one_entry_each_with_the_scores(app):
    a = _sheet_in(S.DRAFT)
    sheets.lock_sheet(get_session(), a.expert.user, a.expert, a.sheet)
    sheets.reopen_sheet(get_session(), office_user(), a.sheet, "创新项评分有误")
    save, lock, reopen = _entries(a.sheet)
    assert (save.action, lock.action, reopen.action) == ("sheet.save", "sheet.lock", "sheet.reopen")
    # 12.5 + 18 + 13 + 12 + 22 + 8
    assert lock.after["total"] == "85.50" and lock.after["items"]["idea"] == "12.50"
    assert lock.after["locked_at"] is not None
    assert reopen.after == {**reopen.after, "status": "draft", "locked_at": None, "reopen_count": 1}
    assert reopen.reason == "创新项评分有误"


# --- assignments ----------------------------------------------------------------------------


def _assignment_in(status: AssignmentStatus):
    a = assigned_sheet()
    if status is A.RESERVE:  # a second expert kept in reserve on the same packet
        expert = make_expert()
        panel = panel_for(a.application.campaign, expert)
        a = assigning.assign_expert(
            get_session(), office_user(), panel, a.application, expert, reserve=True
        )
    if status in (A.WITHDRAWN, A.RELEASED):
        a.status = status
        a.withdrawal_kind = WithdrawalKind.CONFLICT
        a.withdrawal_reason = "本单位"
        a.withdrawn_at = utcnow()
        get_session().flush()
    return a


def _assignment_changes(target: AssignmentStatus) -> dict:
    if target is A.WITHDRAWN:
        return {
            "withdrawal_kind": WithdrawalKind.ABSTAIN,
            "withdrawal_reason": "出差",
            "withdrawn_at": utcnow(),
        }
    if target is A.RELEASED:
        return {}
    return {"withdrawal_kind": None, "withdrawal_reason": "", "withdrawn_at": None}


@pytest.mark.parametrize("source,target", list(product(A, A)))
def test_every_pair_of_assignment_states_follows_the_table(app, source, target):
    a = _assignment_in(source)
    changes = {"reason": "出差", "changes": _assignment_changes(target)}
    _walk(ASSIGNMENT_WORKFLOW, ASSIGNMENT_MOVES, a, source, target, changes, a.expert)


def test_an_expert_may_not_withdraw_from_another_experts_assignment(app):
    a = _assignment_in(A.ACTIVE)
    other = make_expert("旁人")
    with pytest.raises(Refused) as err:
        fire(
            get_session(),
            ASSIGNMENT_WORKFLOW,
            a,
            A.WITHDRAWN,
            other.user,
            reason="出差",
            changes=_assignment_changes(A.WITHDRAWN),
        )
    assert err.value.key == "not_assigned"
    assert a.status is A.ACTIVE and a.withdrawal_kind is None


def test_the_table_refuses_withdrawal_once_the_sheet_is_locked(app):
    a = _assignment_in(A.ACTIVE)
    sheets.save_sheet(get_session(), a.expert.user, a.expert, a.sheet, FULL_SCORES)
    sheets.lock_sheet(get_session(), a.expert.user, a.expert, a.sheet)
    with pytest.raises(Refused) as err:
        fire(
            get_session(),
            ASSIGNMENT_WORKFLOW,
            a,
            A.WITHDRAWN,
            a.expert.user,
            reason="迟了",
            changes=_assignment_changes(A.WITHDRAWN),
        )
    assert err.value.key == "sheet_locked"


def test_an_inactive_reserve_is_not_promoted(app):
    a = _assignment_in(A.RESERVE)
    a.expert.active = False
    with pytest.raises(Refused) as err:
        fire(get_session(), ASSIGNMENT_WORKFLOW, a, A.ACTIVE, office_user())
    assert err.value.key == "expert_inactive"
    assert a.status is A.RESERVE


def test_withdrawal_records_its_kind_and_reason_in_one_entry(app):
    a = _assignment_in(A.ACTIVE)
    assigning.withdraw(get_session(), a.expert.user, a.expert, a, WithdrawalKind.ABSTAIN, " 出差 ")
    entry = [e for e in _entries(a) if e.action.startswith("assignment.")][-1]
    assert entry.action == "assignment.withdraw"
    assert entry.reason == "出差"
    assert entry.after["withdrawal_kind"] == "abstain"
    assert entry.after["status"] == "withdrawn"


def test_the_state_is_never_passed_as_a_change(app):
    a = _assignment_in(A.ACTIVE)
    with pytest.raises(ValueError):
        fire(
            get_session(),
            ASSIGNMENT_WORKFLOW,
            a,
            A.WITHDRAWN,
            a.expert.user,
            reason="出差",
            changes={"status": A.RELEASED},
        )


# --- no state written outside the tables ----------------------------------------------------

PORTAL = Path(__file__).resolve().parents[2] / "portal"
GUARDED = {"Assignment", "ScoreSheet", "AssignmentStatus", "SheetStatus"}


def direct_state_writes(source: str) -> list[int]:
    """Lines that write an assignment's or a sheet's status other than through a workflow:
    `x.status = ...` (or +=, or setattr(x, "status", ...)) in a module that imports those
    models, any `x.status = AssignmentStatus/SheetStatus...`, and bulk sa.update() of them."""
    tree = ast.parse(source)
    imports_models = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "portal.scoring.models"
        and any(alias.name in GUARDED for alias in node.names)
        for node in ast.walk(tree)
    )

    def mentions_enum(node) -> bool:
        return any(
            isinstance(n, ast.Name) and n.id in ("AssignmentStatus", "SheetStatus")
            for n in ast.walk(node)
        )

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                writes_status = any(
                    isinstance(n, ast.Attribute) and n.attr == "status" for n in ast.walk(target)
                )
                if writes_status and (
                    imports_models or (node.value is not None and mentions_enum(node.value))
                ):
                    found.append(node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            args = node.args
            if (
                name == "setattr"
                and imports_models
                and len(args) >= 2
                and isinstance(args[1], ast.Constant)
                and args[1].value == "status"
            ):
                found.append(node.lineno)
            if (
                name == "update"
                and args
                and isinstance(args[0], ast.Name)
                and args[0].id in ("Assignment", "ScoreSheet")
            ):
                found.append(node.lineno)
    return found


def test_the_check_finds_direct_writes_and_passes_reads_and_creation():
    bad = (
        "from portal.scoring.models import Assignment\n"
        "a.status = x\n"
        "setattr(sheet, 'status', y)\n"
        "session.execute(sa.update(ScoreSheet).values(status='draft'))\n"
    )
    assert direct_state_writes(bad) == [2, 3, 4]
    elsewhere = "row.status = SheetStatus.LOCKED\nobjection.status = ObjectionStatus.UPHELD\n"
    assert direct_state_writes(elsewhere) == [1]
    good = (
        "from portal.scoring.models import Assignment, AssignmentStatus\n"
        "rows = select(Assignment).where(Assignment.status == AssignmentStatus.ACTIVE)\n"
        "a = Assignment(status=AssignmentStatus.RESERVE)\n"
        "ok = a.status is AssignmentStatus.ACTIVE\n"
    )
    assert direct_state_writes(good) == []


def test_no_module_of_the_portal_writes_these_states_outside_the_workflows():
    offenders = {
        str(path.relative_to(PORTAL.parent)): lines
        for path in sorted(PORTAL.rglob("*.py"))
        if (lines := direct_state_writes(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
