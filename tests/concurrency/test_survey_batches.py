"""Reviewers counting one scanned paper batch at once: one count stands, the last one recorded;
each is in the audit trail, whose chain holds; a double post is recorded once."""

from __future__ import annotations

from itertools import pairwise

import sqlalchemy as sa

from portal import audit
from portal.accounts.models import Role
from portal.applications.models import FileCategory
from portal.applications.service import submit_application
from portal.audit import AuditEntry
from portal.survey.models import BatchCount
from tests.applications.helpers import make_complete
from tests.concurrency.conftest import client_for, race, seeded
from tests.factories import make_user
from tests.survey.helpers import with_settings


def _packet(app, reviewers: int) -> tuple[str, list]:
    """A submitted packet whose scan stands in for answers, and reviewers of its stage."""
    with seeded(app) as session:
        application = make_complete()
        with_settings(application, paper_batch_answers=30)
        submit_application(session, application.id, application.created_by)
        scan = next(f for f in application.files if f.category is FileCategory.SURVEY)
        first = make_user(Role.CHANNEL_REVIEWER)
        users = [first] + [
            make_user(Role.CHANNEL_REVIEWER, organization=first.organization)
            for _ in range(reviewers - 1)
        ]
        return f"/survey/packets/{application.id}/batches/{scan.id}/count", users


def _post(client, url: str, counted: int) -> int:
    response = client.post(url, data={"counted": str(counted)})
    assert response.status_code < 500, response.status_code
    return response.status_code


def _recorded(app) -> tuple[list[tuple[int, int]], list[AuditEntry]]:
    with seeded(app) as session:
        rows = [(r.counted, r.counted_by_id) for r in session.scalars(sa.select(BatchCount))]
        entries = list(
            session.scalars(
                sa.select(AuditEntry)
                .where(AuditEntry.action == "survey.batch_count")
                .order_by(AuditEntry.id)
            )
        )
        assert audit.verify(session).ok
        return rows, entries


def test_reviewers_counting_at_once_leave_the_last_count_and_an_entry_each(racing_app):
    url, users = _packet(racing_app, 6)
    clients = [client_for(racing_app, user) for user in users]
    statuses = race(6, lambda i: _post(clients[i], url, 10 + i))
    assert statuses == [302] * 6
    rows, entries = _recorded(racing_app)
    assert len(rows) == 1
    assert sorted(e.after["counted"] for e in entries) == list(range(10, 16))
    last = entries[-1]
    assert rows[0] == (last.after["counted"], last.actor_id)  # the last recorded wins
    # Each count read the one before it: the entries form one chain of befores and afters.
    assert entries[0].before is None
    assert all(b.before["counted"] == a.after["counted"] for a, b in pairwise(entries))


def test_a_reviewers_count_sent_five_times_at_once_is_recorded_once(racing_app):
    url, (reviewer,) = _packet(racing_app, 1)
    client = client_for(racing_app, reviewer)
    assert race(5, lambda _i: _post(client, url, 21)) == [302] * 5
    rows, entries = _recorded(racing_app)
    assert rows == [(21, reviewer.id)]
    assert len(entries) == 1
