"""The audit trail is a hash chain: tampering with, or removing, any entry is detected."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal import audit
from portal.accounts.models import Role
from portal.audit import GENESIS, AuditEntry, AuditHead
from tests.factories import make_user


def _write(session, n: int, actor=None) -> list[AuditEntry]:
    return [
        audit.record(
            session,
            actor=actor,
            action="thing.change",
            object_type="thing",
            object_id=i,
            before={"value": i},
            after={"value": i + 1, "名称": "服务明星"},
        )
        for i in range(n)
    ]


def _raw_update_after(session, entry_id: int, after: dict) -> None:
    # A Core UPDATE: straight SQL, not through the ORM unit of work and its guard.
    session.execute(
        sa.update(AuditEntry.__table__)
        .where(AuditEntry.__table__.c.id == entry_id)
        .values(after=after)
    )
    session.expire_all()


def _raw_delete(session, entry_id: int) -> None:
    session.execute(sa.delete(AuditEntry.__table__).where(AuditEntry.__table__.c.id == entry_id))
    session.expire_all()


def test_entries_chain_each_to_the_one_before(session):
    actor = make_user(Role.OFFICE)
    entries = _write(session, 3, actor=actor)
    assert entries[0].prev_hash == GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert len({e.hash for e in entries}) == 3
    head = session.get(AuditHead, 1)
    assert (head.last_hash, head.count) == (entries[-1].hash, 3)
    assert entries[0].actor_id == actor.id
    assert entries[0].actor_label == f"{actor.name} <{actor.email}> (office)"


def test_verify_is_ok_over_many_entries(session):
    _write(session, 300)
    assert audit.verify(session) == audit.VerifyResult(True, 300)


def test_verify_on_an_empty_trail_is_ok(session):
    assert audit.verify(session) == audit.VerifyResult(True, 0)


def test_editing_an_old_entry_by_raw_sql_is_detected_with_its_id(session):
    entries = _write(session, 50)
    target = entries[10]
    _raw_update_after(session, target.id, {"value": 999, "名称": "服务明星"})
    result = audit.verify(session)
    assert result == audit.VerifyResult(False, 10, target.id, "content does not match its hash")


def test_deleting_the_last_entry_is_detected(session):
    entries = _write(session, 5)
    _raw_delete(session, entries[-1].id)
    assert audit.verify(session) == audit.VerifyResult(
        False, 4, None, "entries missing at the end of the chain"
    )


def test_deleting_a_middle_entry_is_detected_at_the_next_one(session):
    entries = _write(session, 5)
    _raw_delete(session, entries[2].id)
    assert audit.verify(session) == audit.VerifyResult(
        False, 2, entries[3].id, "previous hash does not match"
    )


def test_the_orm_refuses_to_modify_an_entry(session):
    (entry,) = _write(session, 1)
    entry.after = {"value": 0}
    with pytest.raises(PermissionError, match="append-only"):
        session.flush()
    session.rollback()


def test_the_orm_refuses_to_delete_an_entry(session):
    (entry,) = _write(session, 1)
    session.delete(entry)
    with pytest.raises(PermissionError, match="append-only"):
        session.flush()
    session.rollback()


def test_cli_verify_exits_0_on_an_intact_chain_and_1_on_a_broken_one(app, session):
    entries = _write(session, 4)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0
    assert ok.output == "audit chain intact: 4 entries\n"

    _raw_update_after(session, entries[1].id, {"value": -1})
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert (
        f"audit chain BROKEN at entry {entries[1].id}: content does not match its hash "
        "(1 entries verified before it)"
    ) in broken.output
