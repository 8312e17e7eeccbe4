"""Who may do what in expert review, the conflict-of-interest rule, and the refusals."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from portal.accounts.models import Role
from portal.limits import REASON_CHARS

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


class Refused(Exception):
    """A scoring action refused; `key` names the reason (see MESSAGES)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


MESSAGES = {
    "not_expert": _l("Only an expert of the pool may do this."),
    "not_allowed": _l("You may not do this."),
    "pledge_required": _l(
        "Accept the confidentiality and impartiality pledge before reading any packet."
    ),
    "not_assigned": _l("This packet is not assigned to you."),
    "not_active": _l("This assignment is not active."),
    "sheet_locked": _l("The score sheet is locked. Ask the programme office to reopen it."),
    "sheet_not_locked": _l("The score sheet is not locked."),
    "list_settled": _l(
        "The candidate list of this packet is confirmed, so its scores can no longer change. "
        "Reopen the ranking of its category first if a score must be corrected."
    ),
    "stale": _l(
        "The score sheet was changed elsewhere since you opened it. "
        "Reload the page; your entries were not saved."
    ),
    "stale_record": _l(
        "Someone else saved this record since you opened it. Reload the page and try again."
    ),
    "incomplete": _l("Score every criterion before locking the sheet."),
    "reason_required": _l("Give a reason."),
    "reason_too_long": _l("Give the reason in at most %(n)s characters.", n=REASON_CHARS),
    "conflict_own": _l("The expert works for the applying unit."),
    "conflict_group": _l("The expert's organization is in the same group as the applying unit."),
    "conflict_channel": _l("The expert's organization is a channel organization of this packet."),
    "conflict_declared": _l("The expert declared a conflict or abstained on this packet."),
    "already_assigned": _l("The expert is already assigned to this packet."),
    "expert_inactive": _l("The expert is not active."),
    "not_member": _l("The expert is not a member of this panel."),
    "wrong_industry": _l("The packet is not of this panel's industry."),
    "not_accepted": _l("Only packets accepted into expert review can be assigned."),
    "not_withdrawn": _l("Only an assignment the expert withdrew from can be reassigned."),
    "no_eligible_expert": _l("No eligible expert is left in the panel for this packet."),
    "leader_not_member": _l("The panel leader must be one of its members."),
    "panel_exists": _l("This campaign already has a panel for that industry."),
    "user_taken": _l("That login already belongs to another expert."),
    "user_not_expert": _l("The login must have the expert role."),
    "no_email": _l("The expert has no e-mail address."),
}


def message(err: Refused) -> str:
    """The refusal in the reader's language."""
    return str(MESSAGES.get(err.key, err.key))


def _is(user, *roles: Role) -> bool:
    return bool(user and getattr(user, "is_authenticated", False) and user.role in roles)


def can_manage_scoring(user) -> bool:
    """The programme office runs the pool, panels, assignments, reopening and reminders."""
    return _is(user, Role.OFFICE)


def can_score(user) -> bool:
    """Experts see their own assignments and sheets."""
    return _is(user, Role.EXPERT)


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
