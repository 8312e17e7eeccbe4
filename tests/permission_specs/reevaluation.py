"""Re-evaluation: the holder's unit reports, its channel and the office review, the organizers
decide; experts and administrators take no part. A unit never learns of another's."""

from portal.accounts.models import Role
from tests.permission_specs import Spec, only

TAKING_PART = ("enterprise", "channel_reviewer", "office", "organizer")


def _reevaluation(user=None, own: bool = True):
    """A re-evaluation of a title in the default district; the enterprise user's own title
    when `own`. The default channel reviewer's channel is that district."""
    from tests.reevaluation.helpers import opened, third_year_honour

    mine = own and user is not None and user.role is Role.ENTERPRISE
    honour = third_year_honour(**({"organization": user.organization} if mine else {}))
    return opened(honour)


def _url(suffix: str = "", own: bool = True):
    return lambda user: f"/reevaluation/{_reevaluation(user, own).id}{suffix}"


def _file(user):
    import io

    from portal.db import get_session
    from portal.reevaluation import service
    from tests.honours.helpers import PNG
    from tests.reevaluation.helpers import REPORT, unit_of

    r = _reevaluation(user)
    unit = user if user is not None and user.role is Role.ENTERPRISE else unit_of(r.honour)
    service.save_report(get_session(), r, unit, REPORT, (io.BytesIO(PNG), "调查表.png"))
    return f"/reevaluation/{r.id}/file"


SPECS = [
    Spec("reevaluation.index", only(*TAKING_PART)),
    Spec(
        "reevaluation.open_round",
        only("office"),
        method="POST",
        url=lambda u: "/reevaluation/rounds",
    ),
    Spec("reevaluation.show", only(*TAKING_PART), url=_url()),
    Spec(
        "reevaluation.show",
        {**only(*TAKING_PART), "enterprise": "hidden"},
        url=_url(own=False),
        name="reevaluation-show-another-unit",
    ),
    Spec("reevaluation.save_report", only("enterprise"), method="POST", url=_url("/report")),
    Spec(
        "reevaluation.save_report",
        {**only("enterprise"), "enterprise": "hidden"},
        method="POST",
        url=_url("/report", own=False),
        name="reevaluation-report-another-unit",
    ),
    Spec("reevaluation.submit", only("enterprise"), method="POST", url=_url("/submit")),
    Spec(
        "reevaluation.channel_review", only("channel_reviewer"), method="POST", url=_url("/channel")
    ),
    Spec("reevaluation.office_review", only("office"), method="POST", url=_url("/office")),
    Spec("reevaluation.lapse", only("office"), method="POST", url=_url("/lapse")),
    Spec("reevaluation.decide", only("organizer"), method="POST", url=_url("/decision")),
    Spec("reevaluation.report_file", only(*TAKING_PART), url=_file),
]
