"""Organizations: the four organizers, the programme office, channel organizations, enterprises."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import labels
from portal.db import Base, UTCDateTime, enum_column, utcnow


class OrgKind(enum.StrEnum):
    ORGANIZER = "organizer"  # 市质协、市总工会、团市委、市妇联
    OFFICE = "office"  # 市创建活动工作办公室
    CHANNEL = "channel"  # 区局(产业)工会、团委、妇联、质协
    ENTERPRISE = "enterprise"  # 企事业单位
    OTHER = "other"  # e.g. the home institution of an expert


labels.declare(
    OrgKind,
    {
        OrgKind.ORGANIZER: _l("Organizer"),
        OrgKind.OFFICE: _l("Programme office"),
        OrgKind.CHANNEL: _l("Channel organization"),
        OrgKind.ENTERPRISE: _l("Enterprise"),
        OrgKind.OTHER: _l("Other organization"),
    },
)


class OrgSystem(enum.StrEnum):
    """The four systems that run the programme jointly."""

    UNION = "union"  # 工会
    YOUTH = "youth"  # 团委
    WOMEN = "women"  # 妇联
    QUALITY = "quality"  # 质协


labels.declare(
    OrgSystem,
    {
        OrgSystem.UNION: _l("Trade union"),
        OrgSystem.YOUTH: _l("Youth league"),
        OrgSystem.WOMEN: _l("Women's federation"),
        OrgSystem.QUALITY: _l("Quality association"),
    },
)


class ChannelLevel(enum.StrEnum):
    DISTRICT = "district"
    INDUSTRY = "industry"  # industry, bureau or group channel


labels.declare(
    ChannelLevel,
    {
        ChannelLevel.DISTRICT: _l("District"),
        ChannelLevel.INDUSTRY: _l("Industry, bureau or group"),
    },
)


class UnitNature(enum.StrEnum):
    """单位性质 on the application forms."""

    STATE_OWNED = "state_owned"
    STATE_CONTROLLED = "state_controlled"
    PUBLIC_INSTITUTION = "public_institution"
    SOCIAL_ORGANIZATION = "social_organization"
    PRIVATE = "private"
    OTHER = "other"


labels.declare(
    UnitNature,
    {
        UnitNature.STATE_OWNED: _l("State-owned"),
        UnitNature.STATE_CONTROLLED: _l("State-controlled"),
        UnitNature.PUBLIC_INSTITUTION: _l("Public institution"),
        UnitNature.SOCIAL_ORGANIZATION: _l("Social organization"),
        UnitNature.PRIVATE: _l("Private"),
        UnitNature.OTHER: _l("Other"),
    },
)


class District(Base):
    """A district of the city (区)."""

    __tablename__ = "district"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(sa.String(64))
    name_en: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int] = mapped_column(default=0)


class Industry(Base):
    """A window-service industry (行业)."""

    __tablename__ = "industry"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(sa.String(64))
    name_en: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int] = mapped_column(default=0)


class Organization(Base):
    """Any body taking part: organizer, office, channel organization, enterprise, other."""

    __tablename__ = "organization"
    __table_args__ = (
        sa.CheckConstraint(
            "kind NOT IN ('organizer', 'channel') OR system IS NOT NULL", name="system_required"
        ),
        sa.CheckConstraint(
            "kind <> 'channel' OR channel_level IS NOT NULL", name="channel_level_required"
        ),
        sa.CheckConstraint(
            "channel_level IS NULL OR channel_level <> 'district' OR district_id IS NOT NULL",
            name="district_channel_has_district",
        ),
        sa.CheckConstraint(
            "kind <> 'enterprise' OR credit_code IS NOT NULL", name="enterprise_has_credit_code"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind, "org_kind"))
    system: Mapped[OrgSystem | None] = mapped_column(enum_column(OrgSystem, "org_system"))
    channel_level: Mapped[ChannelLevel | None] = mapped_column(
        enum_column(ChannelLevel, "channel_level")
    )
    district_id: Mapped[int | None] = mapped_column(sa.ForeignKey("district.id"))
    industry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("industry.id"))
    # The superior body (所属上级单位) or group; experts may not score within one group.
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"))
    credit_code: Mapped[str | None] = mapped_column(sa.String(18), unique=True)
    unit_nature: Mapped[UnitNature | None] = mapped_column(enum_column(UnitNature, "unit_nature"))
    contact_name: Mapped[str | None] = mapped_column(sa.String(64))
    contact_mobile: Mapped[str | None] = mapped_column(sa.String(11))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    postcode: Mapped[str | None] = mapped_column(sa.String(6))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    district: Mapped[District | None] = relationship()
    industry: Mapped[Industry | None] = relationship()
    parent: Mapped[Organization | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.kind} {self.name}>"


# The office's organizations list (organizations.views) reads a page along the list's order,
# with whether each one is active to filter on, without reading those it passes over (the id
# too: PostgreSQL's indexes do not hold the row's key, SQLite's do).
sa.Index(
    "ix_organization_list",
    Organization.kind,
    Organization.name,
    Organization.active,
    Organization.id,
)
