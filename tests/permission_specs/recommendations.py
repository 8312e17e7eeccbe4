"""Ranked recommendations and the balance dashboard: who may open, rank, submit, read, download.

A channel reviewer here is made a reviewer of the recommending organization (the quality
association of the packet's district) so that the allowed path is the one exercised.
"""

from portal.accounts.models import Role
from portal.organizations.models import OrgSystem
from tests.permission_specs import Spec, only


def _channel(user):
    """The recommending channel for this user: the user's own organization when the user is a
    channel reviewer (made a quality association), a fresh one otherwise."""
    from tests.recommendations.helpers import Channel, quality_channel

    ch = quality_channel()
    if user is not None and user.role is Role.CHANNEL_REVIEWER:
        user.organization.system = OrgSystem.QUALITY
        ch = Channel(ch.campaign, ch.team, ch.individual, user.organization, user)
    return ch


def _rank_url(user):
    from tests.recommendations.helpers import awaiting

    ch = _channel(user)
    awaiting(ch)
    return f"/recommendations/campaigns/{ch.campaign.id}/categories/{ch.team.id}"


def _submitted(user):
    from portal.db import get_session
    from portal.recommendations import service
    from tests.recommendations.helpers import awaiting

    ch = _channel(user)
    [app] = awaiting(ch)
    return service.submit_recommendation(
        get_session(), ch.reviewer, ch.campaign, ch.team, [app.id], "同意推荐"
    )


def _current(user):
    """Make the recommending channel's campaign the current one (for /balance/channel)."""
    from portal.db import get_session

    _channel(user)
    get_session().flush()
    return "/balance/channel"


RANKERS = only("channel_reviewer")
# The recommending organization's reviewers and the office; everyone else may not learn of it.
READERS = only("channel_reviewer", "office", others="hidden")

SPECS = [
    Spec("recommendations.index", only("channel_reviewer", "office")),
    Spec("recommendations.rank", RANKERS, url=_rank_url),
    Spec(
        "recommendations.rank",
        RANKERS,
        method="POST",
        url=_rank_url,
        data={"opinion": "同意"},
        name="rank-post",
    ),
    Spec(
        "recommendations.submit",
        RANKERS,
        method="POST",
        url=lambda u: _rank_url(u) + "/submit",
        data={"opinion": "同意"},
    ),
    Spec("recommendations.show", READERS, url=lambda u: f"/recommendations/{_submitted(u).id}"),
    Spec(
        "recommendations.form_docx",
        READERS,
        url=lambda u: f"/recommendations/{_submitted(u).id}/form.docx",
    ),
    Spec("balance.citywide", only("office", "organizer")),
    Spec("balance.channel", RANKERS, url=_current),
]
