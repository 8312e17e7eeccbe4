"""Who recommends, who may rank, read and download a recommendation, and the ranking's own rules."""

from __future__ import annotations

from portal.campaigns.models import Campaign, ReviewStage, StageSystem
from portal.organizations.models import OrgKind, OrgSystem
from portal.recommendations.errors import RankingError
from portal.roles import Role, has_role


def recommending_stage(campaign: Campaign) -> ReviewStage | None:
    """The campaign's last channel stage: the highest position whose system is not the office
    (the first of parallel stages there). Its organizations give the ranked recommendation."""
    channel = [s for s in campaign.stages if s.system is not StageSystem.OFFICE]
    if not channel:
        return None
    last = max(s.position for s in channel)
    return next(s for s in channel if s.position == last)


def recommending_system(campaign: Campaign) -> OrgSystem | None:
    stage = recommending_stage(campaign)
    return OrgSystem(stage.system.value) if stage is not None else None


def is_recommending_organization(organization, campaign: Campaign) -> bool:
    """A channel organization of the recommending system (whether any packet is routed to it
    is the service's question)."""
    return (
        organization is not None
        and organization.kind is OrgKind.CHANNEL
        and organization.active
        and organization.system is not None
        and organization.system is recommending_system(campaign)
    )


def can_open_recommendations(user) -> bool:
    """The recommendations pages: channel reviewers (their own), the office (all, read-only)."""
    return has_role(user, Role.CHANNEL_REVIEWER, Role.OFFICE)


def can_rank(user, campaign: Campaign) -> bool:
    """Reviewers of a recommending organization rank their channel's packets."""
    return has_role(user, Role.CHANNEL_REVIEWER) and is_recommending_organization(
        user.organization, campaign
    )


def can_view_recommendation(user, recommendation) -> bool:
    """The recommending organization's reviewers; the office once it is submitted."""
    if has_role(user, Role.CHANNEL_REVIEWER):
        return user.organization_id == recommendation.organization_id
    return has_role(user, Role.OFFICE) and recommendation.submitted_at is not None


def can_edit_recommendation(user, recommendation) -> bool:
    return (
        recommendation.submitted_at is None
        and has_role(user, Role.CHANNEL_REVIEWER)
        and user.organization_id == recommendation.organization_id
    )


def can_view_citywide_balance(user) -> bool:
    return has_role(user, Role.OFFICE, Role.ORGANIZER)


def can_view_channel_balance(user, campaign: Campaign) -> bool:
    return can_rank(user, campaign)


def parse_ranks(raw: dict[int, str]) -> list[int]:
    """Packet ids in rank order from the typed ranks (packet id -> text; empty = not ranked).

    Ranks are whole numbers from 1; gaps close up (1, 3, 7 become 1, 2, 3). Raises RankingError
    'bad_rank' for anything else and 'duplicate_rank' when two packets share a rank.
    """
    ranked: dict[int, int] = {}
    for app_id, text in raw.items():
        text = (text or "").strip()
        if not text:
            continue
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            raise RankingError("bad_rank", value=text)
        ranked[app_id] = int(text)
    values = list(ranked.values())
    duplicates = sorted({v for v in values if values.count(v) > 1})
    if duplicates:
        raise RankingError("duplicate_rank", ranks=", ".join(map(str, duplicates)))
    return sorted(ranked, key=ranked.__getitem__)
