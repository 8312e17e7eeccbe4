"""The award given with a title and its recovery after a revocation: the office records both."""

from datetime import timedelta

from tests.permission_specs import Spec, only


def _revoked(user=None):
    from portal.honours import rules
    from tests.honours.helpers import make_honour

    return make_honour(revoked_on=rules.shanghai_today() - timedelta(days=5))


SPECS = [
    Spec(
        "honour_awards.record",
        only("office"),
        method="POST",
        url=lambda u: f"/honours/{_revoked().id}/award",
        data={"certificate": "y", "prize": "奖牌"},
    ),
    Spec(
        "honour_awards.recovery",
        only("office"),
        method="POST",
        url=lambda u: f"/honours/{_revoked().id}/award/recovery",
        data={"recovery": "recovered", "recovered_on": "2026-01-01", "recovered_by": "王明"},
    ),
]
