"""Parallel looks by the office at a packet's personal data: each is recorded, none fails.

Every such GET writes an audit entry; on SQLite it must take the write lock in a fresh
transaction rather than fail with "database is locked" after another writer committed.
"""

from __future__ import annotations

import sqlalchemy as sa

from portal.accounts.models import Role
from portal.audit import AuditEntry, verify
from portal.campaigns.models import CategoryKind
from tests.applications.helpers import make_submitted
from tests.concurrency.conftest import client_for, race, seeded
from tests.factories import make_user


def test_parallel_office_looks_all_succeed_and_each_is_recorded_once(racing_app):
    with seeded(racing_app):
        app = make_submitted(kind=CategoryKind.INDIVIDUAL)
        office = [make_user(Role.OFFICE) for _ in range(4)]
        app_id, office_ids = app.id, sorted(u.id for u in office)
    clients = [client_for(racing_app, user) for user in office]
    paths = [f"/applications/{app_id}/versions/1", f"/review/applications/{app_id}"]

    def look(i: int) -> int:
        return clients[i % 4].get(paths[i % 2]).status_code

    assert race(12, look) == [200] * 12
    with seeded(racing_app) as session:
        entries = session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "personal_data.view")
        ).all()
        assert sorted({e.actor_id for e in entries}) == office_ids
        assert len(entries) == 12
        assert {e.object_id for e in entries} == {str(app_id)}
        assert verify(session).ok
