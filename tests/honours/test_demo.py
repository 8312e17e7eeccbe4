"""The demo awards the closed 2025 campaign, inspects one honour and revokes another."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.demo import seed_demo
from portal.honours.models import AwardRecovery, Honour, Inspection


def test_demo_has_awarded_honours_an_inspection_and_a_revocation(client, session):
    lines = seed_demo(today=date(2026, 9, 1))
    honours = session.scalars(sa.select(Honour).order_by(Honour.id)).all()
    assert len(honours) == 3  # four candidates, one disqualified after an upheld objection
    assert {h.campaign.year for h in honours} == {2025}
    assert {h.awarded_on for h in honours} == {date(2025, 12, 9)}  # notice ended Fri 12-05
    assert [h.revoked_at is not None for h in honours] == [False, False, True]
    assert session.scalar(sa.select(sa.func.count(Inspection.id))) == 1
    [line] = [line for line in lines if "/honours/verify?code=" in line]
    code = line.rsplit("=", 1)[1]
    assert code == honours[0].verification_code
    page = client.get(f"/honours/verify?code={code}").get_data(as_text=True)
    assert "This honour is valid." in page
    revoked = client.get("/honours/revoked").get_data(as_text=True)
    assert honours[2].holder_name in revoked
    assert honours[2].award.recovery is AwardRecovery.RECOVERED
    recovery = "certificate、奖牌一枚、bonus: Recovered 2026-06-22"
    assert f'data-testid="recovery-{honours[2].id}">{recovery}<' in revoked
    assert seed_demo(today=date(2026, 9, 1))[-1] == line  # a second run changes nothing
    assert session.scalar(sa.select(sa.func.count(Honour.id))) == 3
