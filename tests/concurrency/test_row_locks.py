"""portal.db.lock_row: a row locked in one transaction keeps the next request that locks it
waiting until the first transaction ends (FOR UPDATE on PostgreSQL; on SQLite the first
writer's transaction holds the database's write lock)."""

from __future__ import annotations

import threading
import time

from portal.campaigns.models import Campaign
from portal.db import get_session, lock_row
from tests.concurrency.conftest import race, seeded
from tests.factories import make_campaign


def test_the_next_locker_of_a_row_waits_until_the_first_transaction_ends(racing_app):
    with seeded(racing_app):
        campaign_id = make_campaign().id
    locked, happened = threading.Event(), []

    def first() -> None:
        with racing_app.app_context():
            session = get_session()
            lock_row(session, Campaign, campaign_id)
            locked.set()
            time.sleep(0.5)  # the second tries to lock meanwhile
            happened.append("first ends")
            session.commit()

    def second() -> None:
        assert locked.wait(timeout=30)
        with racing_app.app_context():
            session = get_session()
            lock_row(session, Campaign, campaign_id)
            happened.append("second locks")
            session.commit()

    race(2, lambda i: (first, second)[i]())
    assert happened == ["first ends", "second locks"]
