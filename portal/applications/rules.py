"""Who may see, edit and download an application packet, and the packet's own limits."""

from __future__ import annotations

import re

from sqlalchemy.orm import object_session

from portal.applications.errors import ApplicationError
from portal.applications.models import Application, ApplicationState
from portal.applications.visibility import sees
from portal.campaigns.models import CampaignStatus
from portal.db import utcnow
from portal.organizations.models import ChannelLevel, OrgKind
from portal.roles import Role, has_role

# CJK Unified Ideographs, with extension A and the supplementary-plane extensions.
_CJK = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U0003134f]"
)


def count_chinese_chars(text: str | None) -> int:
    """Chinese characters (汉字) in a text; punctuation, Latin letters and digits do not count."""
    return len(_CJK.findall(text or ""))


def review_has_started(application: Application) -> bool:
    """Whether a review stage has acted on the current version (withdrawal ends then).

    A draft has not been reviewed; a submitted packet once a stage has decided on this
    version (portal/review/ sets review_started_at); any later state has been reviewed.
    """
    if application.state is ApplicationState.DRAFT:
        return False
    if application.state is ApplicationState.SUBMITTED:
        return application.review_started_at is not None
    return True


def is_own(user, application: Application) -> bool:
    return has_role(user, Role.ENTERPRISE) and user.organization_id == application.organization_id


def in_reviewer_channel(user, application: Application) -> bool:
    """The packet belongs to the reviewer's channel: its district, or its industry (归口)."""
    if not has_role(user, Role.CHANNEL_REVIEWER):
        return False
    org = user.organization
    if org.kind is not OrgKind.CHANNEL:
        return False
    if org.channel_level is ChannelLevel.DISTRICT:
        return org.district_id is not None and org.district_id == application.district_id
    if org.channel_level is ChannelLevel.INDUSTRY:
        return org.industry_id is not None and org.industry_id == application.industry_id
    return False


def can_list_applications(user) -> bool:
    """The 'my applications' pages are for enterprise users."""
    return has_role(user, Role.ENTERPRISE)


def can_create_application(user) -> bool:
    return has_role(user, Role.ENTERPRISE)


def applications_open(campaign, now=None) -> bool:
    """Whether a packet can still be started and submitted in the campaign: it is open and its
    application deadline (a Beijing wall-clock time stored as a UTC instant) has not come."""
    return (
        campaign is not None
        and campaign.status is CampaignStatus.OPEN
        and (now or utcnow()) < campaign.application_deadline
    )


def can_view_application(user, application: Application) -> bool:
    """Whether the packet is among those `user` may read (portal/applications/visibility.py,
    the one definition shared with every list query)."""
    return sees(object_session(application), user, application)


def can_see_personal_data(user, application: Application) -> bool:
    """Full ID numbers, mobiles and birth dates: the packet's own enterprise, and the programme
    office for the formal check; everyone else sees them masked (portal/applications/personal.py).
    """
    return is_own(user, application) or has_role(user, Role.OFFICE)


def can_edit_application(user, application: Application) -> bool:
    return is_own(user, application) and application.state in (
        ApplicationState.DRAFT,
        ApplicationState.RETURNED,
        ApplicationState.INCOMPLETE,
    )


def require_editable(actor, app: Application) -> None:
    """Raise ApplicationError unless `actor` owns the packet and may change it now."""
    if not is_own(actor, app):
        raise ApplicationError("not_allowed")
    if not can_edit_application(actor, app):
        raise ApplicationError("not_editable")


def can_submit_application(user, application: Application) -> bool:
    return can_edit_application(user, application)


def can_withdraw_application(user, application: Application) -> bool:
    return (
        is_own(user, application)
        and application.state is ApplicationState.SUBMITTED
        and not review_has_started(application)
    )


def can_return_application(user, application: Application) -> bool:
    return application.state is ApplicationState.SUBMITTED and in_reviewer_channel(
        user, application
    )


def can_download_file(user, application: Application, stored_file_id: int) -> bool:
    """The file is part of what this user may see of the packet: draft files for the
    enterprise, files of submitted versions for those who may read the packet."""
    if not can_view_application(user, application):
        return False
    in_versions = any(f.id == stored_file_id for v in application.versions for f in v.stored_files)
    if is_own(user, application):
        return in_versions or any(f.stored_file_id == stored_file_id for f in application.files)
    return in_versions
