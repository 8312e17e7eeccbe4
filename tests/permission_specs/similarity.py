"""Recycled-narrative pages: the office's list, and one pair for the office and the channel
reviewers who may read one of its packets."""

from portal.accounts.models import Role
from tests.permission_specs import Spec, only


def _pair(user) -> str:
    """A flagged pair: one packet in the district of the default channel reviewer (so a
    reviewer made by make_user may read it), the other in another district."""
    from portal.applications.models import ApplicationState
    from portal.organizations.models import OrgKind
    from tests.factories import district, make_campaign, make_org
    from tests.similarity.helpers import original_and_copy, packet

    campaign = make_campaign(year=2400)
    text, copy = original_and_copy(seed=21)
    elsewhere = make_org(OrgKind.ENTERPRISE, district=district("xuhui"))
    packet(text, campaign=campaign, organization=elsewhere)
    mine = packet(copy, campaign=campaign, state=ApplicationState.CHANNEL_APPROVED)
    if user is not None and user.role is Role.ENTERPRISE:
        mine.organization = user.organization  # even its own enterprise does not see flags
    from portal.db import get_session
    from portal.similarity.service import matches_for

    return f"/similarity/matches/{matches_for(get_session(), mine)[0].id}"


SPECS = [
    Spec("similarity.index", only("office")),
    Spec("similarity.show", only("office", "channel_reviewer", others="hidden"), url=_pair),
]
