"""The review chain: the reviewer's queue, the office's formal check, a packet's review page
and decision; the review API (bearer tokens only, so 'login' for a browser session)."""

from tests.permission_specs import Spec, everyone, only


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


def _decisions_api(user):
    return f"/api/v1/applications/{_packet(user).id}/decisions"


SPECS = [
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
    Spec("api.review_queue", everyone("login")),
    Spec("api.application_decisions", everyone("login"), url=_decisions_api),
    Spec(
        "api.decide_application",
        everyone("login"),
        method="POST",
        url=_decisions_api,
        name="api-decide",
    ),
]
