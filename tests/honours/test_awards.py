"""The award given with a title and its recovery after a revocation: recorded by the office,
refused when it cannot be true, shown on the honour's record and, without the amounts and
notes, on the public list of revoked titles."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.audit import AuditEntry
from portal.honours import awards, rules
from portal.honours.errors import AwardError
from portal.honours.models import AwardRecovery, HonourAward
from tests.accounts.helpers import english, text
from tests.factories import make_user
from tests.honours.helpers import make_honour

TODAY = rules.shanghai_today()
REVOKED_ON = TODAY - timedelta(days=10)


def _recovery(**changes) -> awards.RecoveryData:
    fields = {
        "recovery": AwardRecovery.RECOVERED,
        "recovered_on": TODAY - timedelta(days=2),
        "recovered_by": "李静（黄浦区质协）",
        "note": "",
    }
    return awards.RecoveryData(**{**fields, **changes})


def _refused(key: str, call, *args) -> AwardError:
    with pytest.raises(AwardError) as caught:
        call(*args)
    assert caught.value.key == key
    return caught.value


def test_the_recovery_of_a_revoked_titles_award_is_recorded_and_audited(session):
    honour = make_honour(revoked_on=REVOKED_ON)
    office = make_user(Role.OFFICE)
    given = awards.AwardData(certificate=True, prize="奖牌", bonus_yuan=Decimal("2000"))
    awards.record_award(session, honour, office, given)
    award = awards.record_recovery(
        session, honour, office, _recovery(note="证书、奖牌、奖金均已交回")
    )
    assert (award.certificate, award.prize, award.bonus_yuan) == (True, "奖牌", Decimal("2000"))
    assert (award.recovery, award.recovered_on, award.recovered_by) == (
        AwardRecovery.RECOVERED,
        TODAY - timedelta(days=2),
        "李静（黄浦区质协）",
    )
    actions = session.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.action.like("honour.award%"))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["honour.award", "honour.award_recovery"]
    # Once recovered, what was given cannot be rewritten.
    _refused("recovery_recorded", awards.record_award, session, honour, office, given)


def test_a_recovery_that_cannot_be_true_is_refused(session):
    office = make_user(Role.OFFICE)
    active = make_honour()
    _refused("not_revoked", awards.record_recovery, session, active, office, _recovery())
    revoked = make_honour(revoked_on=REVOKED_ON)
    # Tomorrow as of this moment: the module's TODAY may be yesterday when Beijing's midnight
    # passes during the run.
    future = _recovery(recovered_on=rules.shanghai_today() + timedelta(days=1))
    _refused("date_in_future", awards.record_recovery, session, revoked, office, future)
    early = _recovery(recovered_on=REVOKED_ON - timedelta(days=1))
    err = _refused("before_revocation", awards.record_recovery, session, revoked, office, early)
    assert err.params["day"] == REVOKED_ON.isoformat()
    silent = _recovery(recovery=AwardRecovery.NOT_RECOVERED, note=" ")
    _refused("note_required", awards.record_recovery, session, revoked, office, silent)
    _refused(
        "not_allowed",
        awards.record_recovery,
        session,
        revoked,
        make_user(Role.ORGANIZER),
        _recovery(),
    )
    assert session.scalar(sa.select(sa.func.count(HonourAward.id))) == 0


def test_the_office_records_award_and_recovery_on_the_honours_page(client, login, session):
    honour = make_honour(revoked_on=REVOKED_ON)
    login(make_user(Role.OFFICE))
    english(client)
    client.post(
        f"/honours/{honour.id}/award",
        data={"certificate": "y", "prize": "奖牌", "bonus_yuan": "3000"},
    )
    page = text(
        client.post(
            f"/honours/{honour.id}/award/recovery",
            data={
                "recovery": "not_recovered",
                "recovered_on": (TODAY - timedelta(days=1)).isoformat(),
                "recovered_by": "王明",
                "note": "奖金已用于班组培训，单位承诺分期退还",
            },
            follow_redirects=True,
        )
    )
    assert "The recovery of the award is recorded." in page
    assert 'data-testid="award-given">certificate、奖牌、bonus of 3000 yuan<' in page
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    assert f"Not recovered · {yesterday} · 王明 – 奖金已用于班组培训" in page


def test_a_refused_recovery_is_told_in_chinese(client, login, session):
    honour = make_honour(revoked_on=REVOKED_ON)
    login(make_user(Role.OFFICE))
    client.get("/lang/zh_Hans_CN")
    data = {"recovery": "recovered", "recovered_on": "2000-01-01", "recovered_by": "王明"}
    page = text(
        client.post(f"/honours/{honour.id}/award/recovery", data=data, follow_redirects=True)
    )
    assert f"称号于{REVOKED_ON.isoformat()}撤销，奖励不可能在此之前收回。" in page
    assert session.scalar(sa.select(sa.func.count(HonourAward.id))) == 0


def test_the_public_revoked_list_says_whether_the_award_came_back_without_amounts(client, session):
    recovered = make_honour(revoked_on=REVOKED_ON)
    pending = make_honour(revoked_on=REVOKED_ON)
    office = make_user(Role.OFFICE)
    awards.record_award(session, recovered, office, awards.AwardData(True, "奖牌", Decimal("2000")))
    awards.record_recovery(session, recovered, office, _recovery(note="内部说明"))
    english(client)
    page = text(client.get("/honours/revoked"))
    day = (TODAY - timedelta(days=2)).isoformat()
    assert (
        f'data-testid="recovery-{recovered.id}">certificate、奖牌、bonus: Recovered {day}<' in page
    )
    assert f'data-testid="recovery-{pending.id}">certificate: recovery under way<' in page
    assert "2000" not in page and "内部说明" not in page and "李静" not in page


def test_an_active_honours_page_offers_no_recovery(client, login, session):
    honour = make_honour()
    login(make_user(Role.OFFICE))
    page = text(client.get(f"/honours/{honour.id}"))
    assert 'data-testid="award-form"' in page
    assert 'data-testid="recovery-form"' not in page
