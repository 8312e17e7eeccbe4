"""The life of an objection (异议) to a candidate on public notice: every state and allowed move.

    received ─investigate─▶ investigating   (the office assigns an investigator or records
                                             findings; either starts the investigation)
    received ──────upheld─▶ upheld          (the office decides, with the reply to the objector)
    received ───dismissed─▶ dismissed
    investigating ─upheld─▶ upheld
    investigating ─dismissed▶ dismissed

An objection is created `received` when it is submitted; that is intake, not a move. Upheld and
dismissed are final. Only the programme office (市创建活动工作办公室) makes these moves. Checks
with their own messages – a stale form, a case already decided, the reply, who may be the
investigator – stay in portal/notice/objections.py before the move is fired.
"""

from __future__ import annotations

from portal.notice.errors import NoticeError
from portal.notice.models import ObjectionStatus
from portal.roles import Role
from portal.workflow import Workflow, allow

OBJECTION_WORKFLOW = Workflow(
    "objection",
    "status",
    {
        (ObjectionStatus.RECEIVED, ObjectionStatus.INVESTIGATING): allow(
            "investigate", Role.OFFICE
        ),
        (ObjectionStatus.RECEIVED, ObjectionStatus.UPHELD): allow(
            "upheld", Role.OFFICE, needs_reason=True
        ),
        (ObjectionStatus.RECEIVED, ObjectionStatus.DISMISSED): allow(
            "dismissed", Role.OFFICE, needs_reason=True
        ),
        (ObjectionStatus.INVESTIGATING, ObjectionStatus.UPHELD): allow(
            "upheld", Role.OFFICE, needs_reason=True
        ),
        (ObjectionStatus.INVESTIGATING, ObjectionStatus.DISMISSED): allow(
            "dismissed", Role.OFFICE, needs_reason=True
        ),
    },
    error=NoticeError,
    # A move from a decided case is missing from the table; any other refusal is the role's.
    refused_move="already_decided_case",
    refused_actor="office_only",
    refused_reason="office_only",
)
