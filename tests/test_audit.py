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


def _rewrite_chain_from(session, entries: list[AuditEntry], index: int, after: dict, mac) -> None:
    """What a database writer does: edit one entry, then recompute every later link and the head.

    `mac(prev_hash, fields)` is the writer's idea of the chain function.
    """
    table = AuditEntry.__table__
    prev = entries[index].prev_hash
    for i, entry in enumerate(entries[index:], start=index):
        session.refresh(entry)
        fields = audit._hashed_fields(entry)
        if i == index:
            fields["after"] = after
        new_hash = mac(prev, fields)
        values = {"prev_hash": prev, "hash": new_hash}
        if i == index:
            values["after"] = after
        session.execute(sa.update(table).where(table.c.id == entry.id).values(**values))
        prev = new_hash
    session.execute(sa.update(AuditHead.__table__).values(last_hash=prev))
    session.expire_all()


def _plain_sha256(prev: str, fields: dict) -> str:
    import hashlib
    import json

    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev + payload).encode("utf-8")).hexdigest()


def test_a_row_rewritten_with_recomputed_plain_hashes_fails_verification(session):
    entries = _write(session, 6)
    _rewrite_chain_from(session, entries, 2, {"value": 0, "名称": "伪造"}, _plain_sha256)
    result = audit.verify(session)
    assert result == audit.VerifyResult(False, 2, entries[2].id, "content does not match its hash")


def test_a_rewrite_keyed_with_another_key_fails_verification(app, session):
    import hmac

    entries = _write(session, 6)

    def wrong_key(prev, fields):
        import hashlib
        import json

        payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hmac.new(b"guessed", (prev + payload).encode(), hashlib.sha256).hexdigest()

    _rewrite_chain_from(session, entries, 0, {"value": 7}, wrong_key)
    assert audit.verify(session).problem == "content does not match its hash"


def test_the_key_comes_from_configuration_and_changes_every_mac(app, session):
    (entry,) = _write(session, 1)
    assert audit.verify(session).ok
    app.config["AUDIT_KEY"] = "another-key-held-by-the-operators"
    assert audit.verify(session) == audit.VerifyResult(
        False, 0, entry.id, "content does not match its hash"
    )


def test_an_anchor_catches_a_rewrite_by_someone_holding_the_key(session):
    entries = _write(session, 5)
    kept = audit.anchor(session)
    assert (kept.count, kept.hash) == (5, entries[-1].hash)
    key = audit.chain_key()
    _rewrite_chain_from(
        session, entries, 1, {"value": 0}, lambda prev, f: audit._digest(key, prev, f)
    )
    assert audit.verify(session).ok  # the chain alone cannot tell
    result = audit.verify(session, [kept])
    assert result == audit.VerifyResult(False, 4, entries[-1].id, "does not match the anchor")


def test_an_anchor_catches_entries_removed_at_the_end_with_the_head_reset(session):
    entries = _write(session, 4)
    kept = audit.anchor(session)
    _raw_delete(session, entries[-1].id)
    session.execute(sa.update(AuditHead.__table__).values(last_hash=entries[-2].hash, count=3))
    session.expire_all()
    assert audit.verify(session).ok
    assert audit.verify(session, [kept]) == audit.VerifyResult(
        False, 3, None, "the chain is shorter than an anchor"
    )


def test_cli_anchor_appends_and_verify_checks_the_anchors(app, session, tmp_path):
    _write(session, 3)
    runner = app.test_cli_runner()
    anchors = tmp_path / "anchors.jsonl"
    first = runner.invoke(args=["audit", "anchor", "--append", str(anchors)])
    assert first.exit_code == 0
    _write(session, 2)
    assert runner.invoke(args=["audit", "anchor", "--append", str(anchors)]).exit_code == 0
    lines = anchors.read_text().splitlines()
    assert [audit.Anchor.from_json(line).count for line in lines] == [3, 5]

    ok = runner.invoke(args=["audit", "verify", "--anchors", str(anchors)])
    assert ok.exit_code == 0
    assert ok.output == "audit chain intact: 5 entries, 2 anchors matched\n"

    forged = audit.Anchor(count=4, hash="f" * 64).to_json()
    anchors.write_text(anchors.read_text() + forged + "\n")
    broken = runner.invoke(args=["audit", "verify", "--anchors", str(anchors)])
    assert broken.exit_code == 1
    assert "does not match the anchor" in broken.output
