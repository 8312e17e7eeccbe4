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


def typed_ranks(raw: dict[int, str]) -> dict[int, int]:
    """The rank typed for each packet (packet id -> text; empty = not ranked) as a number.

    Ranks are whole numbers from 1. Raises RankingError 'bad_rank' for anything else and
    'duplicate_rank' when two packets share a rank.
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
    return ranked


def parse_ranks(raw: dict[int, str]) -> list[int]:
    """Packet ids in rank order from the typed ranks; gaps close up (1, 3, 7 become 1, 2, 3)."""
    ranked = typed_ranks(raw)
    return sorted(ranked, key=ranked.__getitem__)


def place_ranks(raw: dict[int, str], saved: list[int]) -> list[int]:
    """Packet ids in rank order when the ranks `raw` are typed on one page of the ranking.

    `saved` is the saved ranking (ids in rank order). The packets of the page (the keys of
    `raw`) take the places typed; the saved packets of the other pages keep their order and
    fill the places around them; gaps close up. With every ranked packet on the page this is
    parse_ranks: typing 1 for a packet of page 3 puts it first and moves the others down.
    """
    ranked = typed_ranks(raw)
    placed = sorted(ranked, key=ranked.__getitem__)
    others = [app_id for app_id in saved if app_id not in raw]
    order: list[int] = []
    while placed or others:
        if placed and (not others or ranked[placed[0]] <= len(order) + 1):
            order.append(placed.pop(0))
        else:
            order.append(others.pop(0))
    return order
