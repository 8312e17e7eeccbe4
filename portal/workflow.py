"""Declared state machines: a table of allowed moves, who may make each, one choke point."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import Role


class TransitionRefused(Exception):
    """A move that is not in the table, or not allowed to this actor."""


class StaleState(TransitionRefused):
    """The record's state changed in the database since this request read it."""

    def __str__(self) -> str:
        return str(
            _l(
                "Someone else changed this record since you opened it. Nothing was saved; "
                "reload the page and try again."
            )
        )


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
    # Extra checks beyond role (organization, deadline...): return an error message or None.
    guards: list[Callable[[Any, enum.Enum, enum.Enum, Any], str | None]] = field(
        default_factory=list
    )

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
    ):
        """Move obj to target, or raise TransitionRefused and change nothing.

        Side effects: locks the record's row and refuses with StaleState when another request
        moved it since this one read it; sets the state attribute, and appends one audit entry
        (action '<workflow>.<transition name>', before/after state, reason, extra).
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
            raise TransitionRefused(f"{self.name}: {current} → {target} is not allowed")
        if actor is None or actor.role not in t.by:
            raise TransitionRefused(f"{self.name}: {t.name} is not allowed to this user")
        if t.needs_reason and not reason.strip():
            raise TransitionRefused(f"{self.name}: {t.name} needs a reason")
        for guard in self.guards:
            problem = guard(obj, current, target, actor)
            if problem:
                raise TransitionRefused(problem)
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
        then finds the state moved and is refused with StaleState, so a move is made once and
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
            raise StaleState(f"{self.name}: {read} is now {stored}")

    def pairs(self) -> Iterable[tuple[enum.Enum, enum.Enum]]:
        return self.transitions.keys()
