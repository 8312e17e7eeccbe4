"""Campaign management: the office changes, organizers and administrators read."""

from portal.campaigns.models import CampaignStatus
from tests.factories import make_campaign
from tests.permission_specs import Spec, only

VIEW = only("office", "organizer", "admin")
MANAGE = only("office")


def _draft(suffix: str = ""):
    def url(_user):
        campaign = make_campaign(year=2030, status=CampaignStatus.DRAFT)
        return f"/office/campaigns/{campaign.id}{suffix}"

    return url


SPECS = [
    Spec("campaigns.index", VIEW),
    Spec("campaigns.detail", VIEW, url=_draft()),
    Spec("campaigns.create", MANAGE),
    Spec("campaigns.create", MANAGE, method="POST", name="campaign-create-post"),
    Spec("campaigns.edit_settings", MANAGE, url=_draft("/settings")),
    Spec(
        "campaigns.edit_settings",
        MANAGE,
        method="POST",
        url=_draft("/settings"),
        name="campaign-settings-post",
    ),
    Spec("campaigns.edit_categories", MANAGE, url=_draft("/categories")),
    Spec(
        "campaigns.edit_categories",
        MANAGE,
        method="POST",
        url=_draft("/categories"),
        name="campaign-categories-post",
    ),
    Spec("campaigns.edit_stages", MANAGE, url=_draft("/stages")),
    Spec(
        "campaigns.edit_stages",
        MANAGE,
        method="POST",
        url=_draft("/stages"),
        name="campaign-stages-post",
    ),
    Spec("campaigns.edit_rubric", MANAGE, url=_draft("/rubric")),
    Spec(
        "campaigns.edit_rubric",
        MANAGE,
        method="POST",
        url=_draft("/rubric"),
        name="campaign-rubric-post",
    ),
    Spec("campaigns.copy", MANAGE, url=_draft("/copy")),
    Spec("campaigns.copy", MANAGE, method="POST", url=_draft("/copy"), name="campaign-copy-post"),
    Spec(
        "campaigns.change_status",
        MANAGE,
        method="POST",
        url=_draft("/status"),
        data={"target": "open"},
    ),
]
