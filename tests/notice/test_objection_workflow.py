"""Objections change state only through OBJECTION_WORKFLOW: the table, every pair, every role."""

import ast
import itertools
from pathlib import Path

import pytest
import sqlalchemy as sa

import portal
from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.audit import AuditEntry
from portal.db import get_session
from portal.notice import objections
from portal.notice.errors import NoticeError
from portal.notice.models import DECIDED, Objection, ObjectionStatus
from portal.notice.workflow import OBJECTION_WORKFLOW
from tests.factories import make_user, shanghai
from tests.notice.helpers import open_notice, with_candidates

S = ObjectionStatus
OFFICE = {Role.OFFICE}

# Written out by hand: what the programme office may do with a case, and nothing else.
EXPECTED = {
    (S.RECEIVED, S.INVESTIGATING): ("investigate", OFFICE),
    (S.RECEIVED, S.UPHELD): ("upheld", OFFICE),
    (S.RECEIVED, S.DISMISSED): ("dismissed", OFFICE),
    (S.INVESTIGATING, S.UPHELD): ("upheld", OFFICE),
    (S.INVESTIGATING, S.DISMISSED): ("dismissed", OFFICE),
}
ALL_PAIRS = list(itertools.product(ObjectionStatus, ObjectionStatus))
DECIDED_AT = shanghai(2026, 12, 10, 15, 0)


def _notice():
    campaign, apps = with_candidates(1)
    return open_notice(campaign, opens_at=shanghai(2026, 12, 7, 9, 0)), apps[0]


_cases = itertools.count(1)


def _case(notice, app, status: ObjectionStatus) -> Objection:
    """A case put straight into `status` (a decided one has its reply and time)."""
    n = next(_cases)
    case = Objection(
        notice_id=notice.id,
        application_id=app.id,
        case_number=f"YY2026-TEST-{n:04d}",
        name="赵敏",
        mobile="13800138000",
        reason="申报数据与年报不一致。",
        reason_digest=f"{n:064d}",
        created_at=shanghai(2026, 12, 8, 10, 0),
        status=status,
    )
    if status in DECIDED:
        case.reply = "已答复。"
        case.decided_at = DECIDED_AT
    get_session().add(case)
    get_session().flush()
    return case


def _entries(case) -> list[AuditEntry]:
    return list(
        get_session().scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.object_type == "objection", AuditEntry.object_id == str(case.id))
            .order_by(AuditEntry.id)
        )
    )


def test_the_table_holds_exactly_the_office_moves_of_a_case():
    declared = {pair: (t.name, set(t.by)) for pair, t in OBJECTION_WORKFLOW.transitions.items()}
    assert declared == EXPECTED
    assert (OBJECTION_WORKFLOW.name, OBJECTION_WORKFLOW.attribute) == ("objection", "status")
    # A decision is final; the reply to the objector is the reason of the move.
    assert [t.needs_reason for t in OBJECTION_WORKFLOW.transitions.values()] == [
        False,
        True,
        True,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("source", "target"), ALL_PAIRS, ids=[f"{s.value}-{t.value}" for s, t in ALL_PAIRS]
)
def test_every_pair_of_states_for_every_role(session, source, target):
    notice, app = _notice()
    actors = [None] + [make_user(role) for role in Role]  # None: an anonymous objector
    for actor in actors:
        case = _case(notice, app, source)
        name, roles = EXPECTED.get((source, target), (None, set()))
        if actor is not None and actor.role in roles:
            if target in DECIDED:
                case.reply = "经核实，情况属实。"
                case.decided_at = DECIDED_AT
            OBJECTION_WORKFLOW.fire(session, case, target, actor=actor, reason="经核实。")
            assert case.status is target
            (entry,) = _entries(case)
            assert entry.action == f"objection.{name}"
            assert entry.before == {"status": source.value}
            assert entry.after == {"status": target.value}
            assert entry.actor_id == actor.id and entry.reason == "经核实。"
        else:
            with pytest.raises(NoticeError):
                OBJECTION_WORKFLOW.fire(session, case, target, actor=actor, reason="经核实。")
            assert case.status is source
            assert _entries(case) == []


def test_a_decision_without_a_reason_is_refused_by_the_table(session):
    notice, app = _notice()
    case = _case(notice, app, S.INVESTIGATING)
    with pytest.raises(NoticeError):
        OBJECTION_WORKFLOW.fire(session, case, S.DISMISSED, actor=make_user(Role.OFFICE))
    assert case.status is S.INVESTIGATING


# --- the service fires the table -------------------------------------------------------------


def test_assigning_a_received_case_starts_the_investigation_once(session):
    notice, app = _notice()
    office = make_user(Role.OFFICE)
    first, second = make_user(Role.OFFICE), make_user(Role.OFFICE)
    case = _case(notice, app, S.RECEIVED)
    objections.assign_investigator(session, case, office, first, case.lock_version)
    objections.assign_investigator(session, case, office, second, case.lock_version)
    assert case.status is S.INVESTIGATING and case.investigator is second
    assert [(e.action, e.before, e.after) for e in _entries(case)] == [
        (
            "objection.investigate",
            {"status": "received"},
            {"status": "investigating", "investigator_id": first.id},
        ),
        ("objection.assign", {"investigator_id": None}, {"investigator_id": first.id}),
        ("objection.assign", {"investigator_id": first.id}, {"investigator_id": second.id}),
    ]


def test_findings_on_a_received_case_start_the_investigation(session):
    notice, app = _notice()
    case = _case(notice, app, S.RECEIVED)
    objections.record_findings(session, case, make_user(Role.OFFICE), " 现场核查中。 ")
    assert case.status is S.INVESTIGATING and case.findings == "现场核查中。"
    assert [e.action for e in _entries(case)] == ["objection.investigate", "objection.findings"]


def test_a_dismissal_is_the_move_with_the_reply_as_its_reason(session):
    notice, app = _notice()
    office = make_user(Role.OFFICE)
    case = _case(notice, app, S.INVESTIGATING)
    objections.decide_objection(
        session, case, office, upheld=False, reply=" 数据有据可查。 ", now=DECIDED_AT
    )
    (entry,) = _entries(case)
    assert (entry.action, entry.before, entry.after, entry.reason) == (
        "objection.dismissed",
        {"status": "investigating"},
        {"status": "dismissed", "reply": "数据有据可查。"},
        "数据有据可查。",
    )
    assert case.decided_at == DECIDED_AT and case.decided_by_id == office.id
    assert app.state is ApplicationState.CANDIDATE


def test_upholding_moves_the_case_and_withdraws_the_candidate_through_both_tables(session):
    notice, app = _notice()
    case = _case(notice, app, S.RECEIVED)
    objections.decide_objection(
        session, case, make_user(Role.OFFICE), upheld=True, reply="情况属实。", now=DECIDED_AT
    )
    assert case.status is S.UPHELD and app.state is ApplicationState.DISQUALIFIED
    assert [e.action for e in _entries(case)] == ["objection.upheld"]
    assert (
        session.scalar(
            sa.select(sa.func.count(AuditEntry.id)).where(
                AuditEntry.action == "application.disqualify",
                AuditEntry.object_id == str(app.id),
            )
        )
        == 1
    )


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.OFFICE])
def test_a_decision_by_anyone_but_the_office_changes_nothing(session, role):
    notice, app = _notice()
    case = _case(notice, app, S.INVESTIGATING)
    with pytest.raises(NoticeError) as refused:
        objections.decide_objection(
            session, case, make_user(role), upheld=True, reply="情况属实。", findings="新发现"
        )
    assert refused.value.key == "office_only"
    assert (case.status, case.reply, case.decided_at, case.findings) == (
        S.INVESTIGATING,
        "",
        None,
        "",
    )
    assert app.state is ApplicationState.CANDIDATE and _entries(case) == []


def test_starting_an_investigation_by_anyone_but_the_office_changes_nothing(session):
    notice, app = _notice()
    case = _case(notice, app, S.RECEIVED)
    with pytest.raises(NoticeError) as refused:
        objections.assign_investigator(session, case, make_user(Role.ADMIN), make_user(Role.OFFICE))
    assert refused.value.key == "office_only"
    with pytest.raises(NoticeError):
        objections.record_findings(session, case, make_user(Role.EXPERT), "现场核查。")
    assert (case.status, case.investigator, case.findings) == (S.RECEIVED, None, "")
    assert _entries(case) == []


# --- nothing else writes the state -----------------------------------------------------------

PORTAL = Path(portal.__file__).parent
STATUS_VALUES = {s.value for s in ObjectionStatus}


def _mentions_objection_status(node: ast.AST) -> bool:
    return any(
        (isinstance(n, ast.Name) and n.id == "ObjectionStatus")
        or (isinstance(n, ast.Constant) and n.value in STATUS_VALUES)
        for n in ast.walk(node)
    )


def _call_writes_status(call: ast.Call) -> bool:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    keywords = {k.arg: k.value for k in call.keywords}
    if name == "setattr" and len(call.args) >= 2:
        return isinstance(call.args[1], ast.Constant) and call.args[1].value == "status"
    if name == "Objection":
        return "status" in keywords
    if name == "update" and call.args:
        return isinstance(call.args[0], ast.Name) and call.args[0].id == "Objection"
    value = keywords.get("status")
    return isinstance(value, ast.Attribute) and _mentions_objection_status(value)


def objection_state_writes(source: str) -> list[int]:
    """Lines of a module that write an objection's status other than through the workflow.

    Flags: `x.status = ...` in a module that knows objections (names Objection or
    ObjectionStatus) or with an objection state as the value; `setattr(x, "status", ...)`;
    `Objection(status=...)`; any `status=<objection state>` keyword (update values, bulk
    writes); `update(Objection)`.
    """
    tree = ast.parse(source)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {
        a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names
    }
    knows_objections = bool(names & {"Objection", "ObjectionStatus"})
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            flat = [t for target in targets for t in ast.walk(target)]
            if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in flat) and (
                knows_objections or (node.value and _mentions_objection_status(node.value))
            ):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and _call_writes_status(node):
            lines.append(node.lineno)
    return sorted(set(lines))


def test_nothing_under_portal_writes_an_objection_state_outside_the_workflow():
    found = {
        str(path.relative_to(PORTAL.parent)): lines
        for path in sorted(PORTAL.rglob("*.py"))
        if (lines := objection_state_writes(path.read_text(encoding="utf-8")))
    }
    assert found == {}


@pytest.mark.parametrize(
    "snippet",
    [
        "from portal.notice.models import ObjectionStatus\n"
        "objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED\n",
        "from portal.notice.models import Objection\ncase.status = 'upheld'\n",
        "row.objection.status = 'investigating'\n",
        "setattr(case, 'status', target)\n",
        "from portal.notice.models import Objection\nObjection(status=S.UPHELD)\n",
        "session.execute(sa.update(Objection).values(reply=''))\n",
        "query.values(status=ObjectionStatus.DISMISSED)\n",
        "case.lock_version, case.status = 2, ObjectionStatus.RECEIVED\n",
    ],
)
def test_the_scan_finds_each_way_of_writing_the_state(snippet):
    assert objection_state_writes(snippet) != []


@pytest.mark.parametrize(
    "snippet",
    [
        "assignment.status = AssignmentStatus.WITHDRAWN\n",  # another record's own status
        "self.status = status\n",
        "from portal.notice.models import ObjectionStatus\n"
        "if objection.status is ObjectionStatus.RECEIVED:\n    pass\n",
        "list_objections(session, campaign_id, status=status)\n",
        "OBJECTION_WORKFLOW.fire(session, case, ObjectionStatus.UPHELD, actor=actor)\n",
    ],
)
def test_the_scan_leaves_reads_and_other_records_alone(snippet):
    assert objection_state_writes(snippet) == []
