"""The review chain: the reviewer's queue, the office's formal check, a packet's review page
and decision."""

from portal.accounts.models import Role
from tests.permission_specs import Spec, only


def _packet(user):
    """A packet of another Huangpu enterprise at the first stage (the trade union's), so that
    the default channel reviewer (Huangpu trade union) is its stage's organization."""
    from tests.applications.helpers import open_campaign
    from tests.factories import make_application

    return make_application(campaign=open_campaign(), stage_position=0)


# Reviewers and the office who may read the packet; everyone else must not learn it exists.
REVIEWERS = only("channel_reviewer", "office", others="hidden")


def _show(user):
    return f"/review/applications/{_packet(user).id}"


def _decide(user):
    return f"/review/applications/{_packet(user).id}/decision"


def _recommended(user):
    """A packet at the office's formal check, in the default channel reviewer's district."""
    from portal.applications.models import ApplicationState
    from tests.applications.helpers import open_campaign
    from tests.factories import make_application

    return make_application(ApplicationState.RECOMMENDED, campaign=open_campaign())


def _incomplete(user):
    """A packet returned for completion whose due date has passed (the office may reject it)."""
    from datetime import timedelta

    from portal.applications.models import ApplicationState
    from portal.db import get_session, utcnow
    from portal.review.models import Decision, StageDecision
    from tests.applications.helpers import open_campaign
    from tests.factories import make_application, make_user

    app = make_application(ApplicationState.INCOMPLETE, campaign=open_campaign())
    office = make_user(Role.OFFICE)
    get_session().add(
        StageDecision(
            application=app,
            version_number=1,
            reviewer=office,
            decision=Decision.COMPLETION,
            missing_items=["photo"],
            due_at=utcnow() - timedelta(seconds=1),
        )
    )
    get_session().flush()
    return f"/review/applications/{app.id}/overdue-rejection"


def _completion(user):
    return f"/review/applications/{_recommended(user).id}/completion"


# The office at the formal check; a channel reviewer who may read the packet is refused, and
# everyone else must not learn that it exists.
OFFICE_CHECK = {**REVIEWERS, "channel_reviewer": "forbidden"}

SPECS = [
    Spec(
        "review.request_completion",
        OFFICE_CHECK,
        method="POST",
        url=_completion,
        data={"items": ["photo"], "note": "照片不清晰", "due_on": "2099-12-31"},
    ),
    Spec(
        "review.reject_overdue",
        OFFICE_CHECK,
        method="POST",
        url=_incomplete,
        data={"reason": "逾期未补正"},
    ),
    Spec("review.queue", only("channel_reviewer")),
    Spec("review.formal_check", only("office")),
    Spec("review.show", REVIEWERS, url=_show),
    Spec(
        "review.decide",
        REVIEWERS,
        method="POST",
        url=_decide,
        data={"decision": "forward", "opinion": "同意推荐"},
    ),
]
