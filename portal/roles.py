"""The portal's roles and the one check of whether a user holds one."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from portal import labels


class Role(enum.StrEnum):
    ENTERPRISE = "enterprise"  # 企业用户
    CHANNEL_REVIEWER = "channel_reviewer"  # 渠道审核人
    OFFICE = "office"  # 办公室工作人员
    ORGANIZER = "organizer"  # 主办单位审批人
    EXPERT = "expert"  # 行业专家
    ADMIN = "admin"  # 系统管理员


labels.declare(
    Role,
    {
        Role.ENTERPRISE: _l("Enterprise user"),
        Role.CHANNEL_REVIEWER: _l("Channel reviewer"),
        Role.OFFICE: _l("Programme office"),
        Role.ORGANIZER: _l("Organizer approver"),
        Role.EXPERT: _l("Expert"),
        Role.ADMIN: _l("System administrator"),
    },
)


def has_role(user, *roles: Role) -> bool:
    """True when user is a logged-in account holding one of roles (False for anonymous or None)."""
    return bool(user and getattr(user, "is_authenticated", False) and user.role in roles)
