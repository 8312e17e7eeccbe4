"""Who may do what in expert review, the conflict-of-interest rule, and the refusals."""

from __future__ import annotations

from decimal import Decimal

from portal.roles import Role, has_role
from portal.scoring.errors import MESSAGES as MESSAGES  # the API reads them here
from portal.scoring.errors import Refused as Refused

# Criteria are scored in steps of half a point.
SCORE_STEP = Decimal("0.5")

# The pledge (承诺书) each expert accepts per campaign before reading any packet.
PLEDGE_TEXT = (
    "本人自愿担任用户满意服务明星评审专家，郑重承诺：\n"
    "一、严格遵守评审纪律，对申报材料、评审意见和评分结果保密，不以任何形式对外泄露；\n"
    "二、坚持客观、公正、公平的原则独立评分，不受任何单位和个人的影响；\n"
    "三、与申报单位存在利益关系（本单位、同一集团、所属推荐渠道等）时，主动声明并回避；\n"
    "四、不接受申报单位及相关人员的宴请、礼品和其他利益。\n"
    "如有违反，愿接受取消评审专家资格等处理。"
)


def can_manage_scoring(user) -> bool:
    """The programme office runs the pool, panels, assignments, reopening and reminders."""
    return has_role(user, Role.OFFICE)


def can_score(user) -> bool:
    """Experts see their own assignments and sheets."""
    return has_role(user, Role.EXPERT)


def can_view_sheet(user, sheet, expert) -> bool:
    """A sheet is seen by its own expert and by the office; never by another expert."""
    if can_manage_scoring(user):
        return True
    return can_score(user) and expert is not None and sheet.expert_id == expert.id


def conflict_of_interest(expert_org, unit, channels) -> str | None:
    """Why an expert of `expert_org` may not score a packet of `unit` routed to `channels`.

    Own organization; same group (same parent, or one is the other's parent); or a channel of
    the packet (the expert's organization is one of the packet's channel organizations, or its
    parent or child). None when there is no conflict.
    """
    if expert_org.id == unit.id:
        return "conflict_own"
    if (
        (expert_org.parent_id is not None and expert_org.parent_id == unit.parent_id)
        or expert_org.parent_id == unit.id
        or unit.parent_id == expert_org.id
    ):
        return "conflict_group"
    for channel in channels:
        if (
            channel.id == expert_org.id
            or channel.id == expert_org.parent_id
            or channel.parent_id == expert_org.id
        ):
            return "conflict_channel"
    return None
