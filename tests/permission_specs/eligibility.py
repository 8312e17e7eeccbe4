"""Eligibility and integrity: the office sets the conditions and records findings, the unit
signs its own declaration, reviewers of the packet contest it."""

from tests.permission_specs import Spec, only
from tests.permission_specs.applications import OWN, _draft, _submitted

OFFICE = only("office")
# Contesting: the roles that review; a reviewer who does not see the packet learns nothing.
REVIEWERS = only("office", "channel_reviewer")


def _campaign(suffix: str):
    def url(_user):
        from tests.eligibility.helpers import ruled_campaign

        return f"/eligibility/campaigns/{ruled_campaign().id}{suffix}"

    return url


SPECS = [
    Spec("eligibility.campaign_rules", OFFICE, url=_campaign("/rules")),
    Spec(
        "eligibility.campaign_rules",
        OFFICE,
        method="POST",
        url=_campaign("/rules"),
        name="eligibility-rules-post",
    ),
    Spec("eligibility.integrity", OFFICE, url=_campaign("/integrity")),
    Spec(
        "eligibility.sign",
        OWN,
        method="POST",
        url=lambda u: f"/eligibility/applications/{_draft(u).id}/declaration",
    ),
    Spec(
        "eligibility.contest",
        REVIEWERS,
        method="POST",
        url=lambda u: f"/eligibility/applications/{_submitted(u).id}/declaration/contest",
        data={"reason": "有经核实的投诉"},
    ),
    Spec(
        "eligibility.finding",
        OFFICE,
        method="POST",
        url=lambda u: f"/eligibility/applications/{_submitted(u).id}/finding",
        data={"source": "review", "description": "材料系伪造"},
    ),
]
