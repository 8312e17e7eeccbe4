"""Declared state machines: a table of allowed moves, who may make each, one choke point."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.clock import utcnow
from portal.refusals import DomainError, Refusal
from portal.roles import Role


class TransitionRefused(DomainError):
    """A move refused by a workflow that has no error of its own domain ('workflow.*')."""


# A guard sees the record, the move, the actor and the instant the move is judged at, and
# answers why the move is refused, or None.
Guard = Callable[[Any, enum.Enum, enum.Enum, Any, datetime], Refusal | None]


@dataclass(frozen=True)
class Transition:
    name: str
    by: frozenset[Role]
    needs_reason: bool = False


def allow(name: str, *roles: Role, needs_reason: bool = False) -> Transition:
    return Transition(name, frozenset(roles), needs_reason)


@dataclass
class Workflow:
    """States of one kind of record and the moves between them."""

    name: str
    attribute: str
    transitions: dict[tuple[enum.Enum, enum.Enum], Transition]
    # Extra checks beyond role (organization, deadline...): a Refusal, or None.
    guards: list[Guard] = field(default_factory=list)
    # What a refused move raises: the domain's error, with its keys for a move missing from
    # the table, for an actor the move is not for (or a missing reason), and for a record
    # that another request moved first.
    error: type[DomainError] = TransitionRefused
    refused_move: str = "not_allowed"
    refused_actor: str = "not_allowed"
    refused_reason: str = "not_allowed"  # a key of the error's namespace, or a whole code

    def transition_for(self, current, target) -> Transition | None:
        return self.transitions.get((current, target))

    def allowed_targets(self, obj, actor) -> list[enum.Enum]:
        current = getattr(obj, self.attribute)
        return [
            target
            for (source, target), t in self.transitions.items()
            if source == current and actor is not None and actor.role in t.by
        ]

    def fire(
        self,
        session: Session,
        obj,
        target,
        *,
        actor,
        reason: str = "",
        extra=None,
        changes: dict[str, Any] | None = None,
        now: datetime | None = None,
    ):
        """Move obj to target, or raise `self.error` (a DomainError) and change nothing.

        The guards judge the move at `now` (a deadline compares with it; default: this
        instant), so a caller and the guards agree on the time.
        Side effects: locks the record's row and refuses with the key 'stale' when another
        request moved it since this one read it; sets the state attribute, and appends one
        audit entry (action '<workflow>.<transition name>', before/after state, reason, extra).
        `changes` are attributes that change with the state (a decision's time, a lock time):
        they are set together with it once every check has passed, so that no flush sees the
        one without the other (pass them in `extra` too to record them in the entry).
        Callers commit; notifications are the caller's business.
        """
        changes = changes or {}
        if self.attribute in changes:
            raise ValueError(f"{self.name}: the state is the workflow's to write")
        current = getattr(obj, self.attribute)
        t = self.transition_for(current, target)
        if t is None:
            raise self.error(self.refused_move, workflow=self.name, source=str(current))
        if actor is None or actor.role not in t.by:
            raise self.error(self.refused_actor, workflow=self.name, move=t.name)
        if t.needs_reason and not reason.strip():
            key = self.refused_reason
            raise self.error(Refusal(key) if "." in key else key)
        when = now or utcnow()
        for guard in self.guards:
            refusal = guard(obj, current, target, actor, when)
            if refusal is not None:
                raise self.error(refusal)
        self._lock_unchanged(session, obj)
        for key, value in changes.items():
            setattr(obj, key, value)
        setattr(obj, self.attribute, target)
        after = {self.attribute: target, **(extra or {})}
        audit.record(
            session,
            actor=actor,
            action=f"{self.name}.{t.name}",
            obj=obj,
            before={self.attribute: current},
            after=after,
            reason=reason,
        )
        return t

    def _lock_unchanged(self, session: Session, obj) -> None:
        """Lock the record's row and check that its state is still the one this request read.

        Two requests that both read the old state (a double click, two reviewers at once)
        queue on the row lock (PostgreSQL; SQLite lets one writer in at a time); the second
        then finds the state moved and is refused as stale, so a move is made once and
        audited once. A record not yet in the database has nothing to lock.
        """
        state = sa.inspect(obj)
        if state.key is None:
            return
        mapper = state.mapper
        history = state.attrs[self.attribute].history
        read = history.deleted[0] if history.deleted else getattr(obj, self.attribute)
        column = mapper.columns[self.attribute]
        where = [
            col == value for col, value in zip(mapper.primary_key, state.identity, strict=True)
        ]
        with session.no_autoflush:
            stored = session.execute(sa.select(column).where(*where).with_for_update()).scalar()
        if stored != read:
            raise self.error("stale", workflow=self.name)

    def pairs(self) -> Iterable[tuple[enum.Enum, enum.Enum]]:
        return self.transitions.keys()
