"""The statistics table's states: a channel files it, the office may return it for correction."""

from __future__ import annotations

from portal.refusals import Refusal
from portal.roles import Role
from portal.statistics.errors import StatisticsError
from portal.statistics.models import ActivityStatistics, StatisticsState
from portal.workflow import Workflow, allow


def _guard_own(table: ActivityStatistics, _current, _target, actor, _now) -> Refusal | None:
    if actor.role is Role.CHANNEL_REVIEWER and actor.organization_id != table.organization_id:
        return Refusal("statistics.not_allowed")
    return None


STATISTICS_WORKFLOW = Workflow(
    name="statistics",
    attribute="state",
    transitions={
        (StatisticsState.DRAFT, StatisticsState.SUBMITTED): allow("submit", Role.CHANNEL_REVIEWER),
        (StatisticsState.RETURNED, StatisticsState.SUBMITTED): allow(
            "resubmit", Role.CHANNEL_REVIEWER
        ),
        (StatisticsState.SUBMITTED, StatisticsState.RETURNED): allow(
            "return", Role.OFFICE, needs_reason=True
        ),
    },
    guards=[_guard_own],
    error=StatisticsError,
)
