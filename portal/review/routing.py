"""Which channel organization reviews a packet at a stage (归口管理).

A packet belongs to the industry/bureau/group channel of its industry when the campaign has one
of that system in play; otherwise to the district channel of its district. The campaign's
channel list says which channel organizations take part; an empty list means all active ones.
The same rule is given twice: for one packet (stage_organization) and as SQL for list pages
(routed_to), and a test keeps the two in agreement.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.applications.models import Application
from portal.campaigns.models import Campaign, campaign_channel
from portal.organizations.models import ChannelLevel, Organization, OrgKind, OrgSystem


def _in_play(campaign_id, system):
    """Active channel organizations of a system taking part in the campaign (SQL)."""
    # Correlated explicitly: nested in two EXISTS, the packet's campaign would otherwise be
    # read as every packet's, and a campaign would take the channels listed by any other.
    listed = (
        sa.select(campaign_channel.c.organization_id)
        .where(campaign_channel.c.campaign_id == campaign_id)
        .correlate(Application)
    )
    any_listed = sa.exists(listed)
    return sa.and_(
        Organization.kind == OrgKind.CHANNEL,
        Organization.system == system,
        Organization.active.is_(True),
        sa.or_(~any_listed, Organization.id.in_(listed)),
    )


def has_industry_channel(campaign_id, system, industry=Application.industry_id):
    """SQL condition on a packet's `industry` column: an industry channel of the system in play
    in the campaign takes the packet's industry. The industries are one list, not a search for
    every packet (which scanned the organizations once per packet of a queue)."""
    industries = sa.select(Organization.industry_id).where(
        _in_play(campaign_id, system),
        Organization.channel_level == ChannelLevel.INDUSTRY,
        Organization.industry_id.is_not(None),
    )
    return sa.and_(industry.is_not(None), industry.in_(industries))


def stage_organization(
    session: Session, application: Application, system: OrgSystem
) -> Organization | None:
    """The channel organization of `system` that reviews this packet, or None if there is none."""
    base = sa.select(Organization).where(_in_play(application.campaign_id, system))
    if application.industry_id is not None:
        industry = session.scalar(
            base.where(
                Organization.channel_level == ChannelLevel.INDUSTRY,
                Organization.industry_id == application.industry_id,
            ).order_by(Organization.id)
        )
        if industry is not None:
            return industry
    if application.district_id is None:
        return None
    return session.scalar(
        base.where(
            Organization.channel_level == ChannelLevel.DISTRICT,
            Organization.district_id == application.district_id,
        ).order_by(Organization.id)
    )


def routed_to(organization: Organization, campaign: Campaign | None = None):
    """SQL condition on Application: the packet's channel for the organization's system is
    this organization (pass campaign to narrow to one campaign)."""
    if organization.kind is not OrgKind.CHANNEL or organization.system is None:
        return sa.false()
    campaign_id = Application.campaign_id if campaign is None else campaign.id
    condition = routed_to_channel(
        organization.channel_level,
        organization.id,
        organization.system,
        organization.district_id,
        organization.industry_id,
        campaign_id,
    )
    if campaign is not None:
        condition = sa.and_(Application.campaign_id == campaign.id, condition)
    return condition


def routed_to_channel(
    level,
    organization_id,
    system,
    district_id,
    industry_id,
    campaign_id,
    district=Application.district_id,
    industry=Application.industry_id,
):
    """routed_to for a channel organization given by its fields: values, or bind parameters
    for a statement built once and run for any organization of that level (review/queue.py).
    Only the level shapes the SQL. The packet's place is its `district` and `industry` columns:
    the packet's own, or those of the queue's kept rows (review/queue_kept.py)."""
    taking_part = sa.exists(
        sa.select(Organization.id).where(
            Organization.id == organization_id, _in_play(campaign_id, system)
        )
    )
    if level is ChannelLevel.INDUSTRY:
        return sa.and_(
            industry == industry_id,
            taking_part,
            # the lowest id wins when two industry channels of a system share an industry
            ~sa.exists(
                sa.select(Organization.id).where(
                    _in_play(campaign_id, system),
                    Organization.channel_level == ChannelLevel.INDUSTRY,
                    Organization.industry_id == industry_id,
                    Organization.id < organization_id,
                )
            ),
        )
    return sa.and_(
        district == district_id,
        taking_part,
        ~has_industry_channel(campaign_id, system, industry),
        ~sa.exists(
            sa.select(Organization.id).where(
                _in_play(campaign_id, system),
                Organization.channel_level == ChannelLevel.DISTRICT,
                Organization.district_id == district_id,
                Organization.id < organization_id,
            )
        ),
    )


def routed_to_bound(industry_level: bool, campaign_id, **place):
    """routed_to_channel for a statement built once: the organization's fields are the bind
    parameters routing_values() fills (organization_id, org_system, district_id,
    industry_id); campaign_id is the caller's (a bind parameter, or a column), and so are the
    packet's `district` and `industry` columns if not the packet's own."""
    return routed_to_channel(
        ChannelLevel.INDUSTRY if industry_level else ChannelLevel.DISTRICT,
        sa.bindparam("organization_id"),
        sa.bindparam("org_system"),
        sa.bindparam("district_id"),
        sa.bindparam("industry_id"),
        campaign_id,
        **place,
    )


def routing_values(organization: Organization) -> dict:
    """The values of routed_to_bound's parameters for this channel organization."""
    return {
        "organization_id": organization.id,
        "org_system": organization.system,
        "district_id": organization.district_id,
        "industry_id": organization.industry_id,
    }
