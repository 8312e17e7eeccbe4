"""Activity statistics tables: a channel organization's own table, the office's aggregation and
exports, one table (its organization and the office), returning it (the office)."""

from portal.accounts.models import Role
from tests.permission_specs import Spec, only

OFFICE = only("office")


def _campaign():
    from tests.factories import make_campaign

    return make_campaign(year=2600)


def _table(user) -> int:
    """A submitted table of the user's own organization when the user is a channel reviewer."""
    from tests.statistics.helpers import before_deadline, channel, reviewer_of, save

    campaign = _campaign()
    from portal.organizations.models import OrgSystem
    from portal.statistics import service

    if user is not None and user.role is Role.CHANNEL_REVIEWER:
        reviewer = user
    else:
        reviewer = reviewer_of(channel(OrgSystem.WOMEN, "xuhui"))
    table = save(reviewer, campaign, now=before_deadline(campaign))
    from portal.db import get_session

    service.submit_table(get_session(), table.id, reviewer, now=before_deadline(campaign))
    return table.id


def _with_campaign(path: str):
    def url(_user) -> str:
        return f"{path}?campaign={_campaign().id}"

    return url


def _mine(_user) -> str:
    _campaign()
    return "/statistics/mine"


SPECS = [
    Spec("statistics.mine", only("channel_reviewer"), url=_mine),
    Spec("statistics.mine", only("channel_reviewer"), method="POST", url=_mine, name="mine-post"),
    Spec("statistics.index", OFFICE, url=_with_campaign("/statistics/")),
    Spec("statistics.summary_word", OFFICE, url=_with_campaign("/statistics/summary.docx")),
    Spec("statistics.summary_spreadsheet", OFFICE, url=_with_campaign("/statistics/summary.csv")),
    Spec(
        "statistics.show",
        only("channel_reviewer", "office", others="hidden"),
        url=lambda u: f"/statistics/{_table(u)}",
    ),
    Spec(
        "statistics.return_",
        {**only("office", others="hidden"), "channel_reviewer": "forbidden"},
        method="POST",
        url=lambda u: f"/statistics/{_table(u)}/return",
        data={"reason": "请核对"},
    ),
]
