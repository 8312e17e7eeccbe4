"""Organizations and the token's own user (/me)."""

from __future__ import annotations

from pydantic import Field

from portal.accounts.models import User
from portal.api.models.common import Page, Reference
from portal.api.spec import Answer, PageQuery, ShanghaiTime
from portal.checks import mask_email, mask_mobile
from portal.organizations.models import ChannelLevel, OrgKind, OrgSystem, UnitNature
from portal.organizations.models import Organization as OrganizationRow
from portal.roles import Role

MASKED = (
    "Masked (138****5678) except for the office, administrators and the organization's own users"
)


class OrganizationSummary(Answer):
    id: int
    name: str
    kind: OrgKind

    @classmethod
    def of(cls, org: OrganizationRow) -> OrganizationSummary:
        return cls(id=org.id, name=org.name, kind=org.kind)


class Contact(Answer):
    name: str | None
    mobile: str | None = Field(description=MASKED)
    email: str | None = Field(description="Masked like the mobile")


class Organization(OrganizationSummary):
    system: OrgSystem | None
    channel_level: ChannelLevel | None
    district: Reference | None
    industry: Reference | None
    parent_id: int | None
    credit_code: str | None = Field(description="Unified social credit code")
    unit_nature: UnitNature | None
    address: str | None
    postcode: str | None
    active: bool
    contact: Contact
    created_at: ShanghaiTime

    @classmethod
    def full(cls, org: OrganizationRow, *, personal: bool) -> Organization:
        """The organization; its contact's mobile and e-mail masked unless `personal`."""
        mobile, email = org.contact_mobile, org.contact_email
        return cls(
            id=org.id,
            name=org.name,
            kind=org.kind,
            system=org.system,
            channel_level=org.channel_level,
            district=Reference.of(org.district),
            industry=Reference.of(org.industry),
            parent_id=org.parent_id,
            credit_code=org.credit_code,
            unit_nature=org.unit_nature,
            address=org.address,
            postcode=org.postcode,
            active=org.active,
            contact=Contact(
                name=org.contact_name,
                mobile=mobile if personal else mask_mobile(mobile) or None,
                email=email if personal else mask_email(email),
            ),
            created_at=org.created_at,
        )


class OrganizationPage(Page[Organization]):
    pass


class OrganizationQuery(PageQuery):
    kind: OrgKind | None = Field(default=None, description="Only this kind")
    system: OrgSystem | None = Field(default=None, description="Only this system")
    district: str | None = Field(
        default=None, description="Only this district (code, e.g. huangpu)"
    )


class Me(Answer):
    id: int
    name: str
    email: str = Field(json_schema_extra={"format": "email"})
    role: Role
    locale: str | None
    organization: OrganizationSummary

    @classmethod
    def of(cls, user: User) -> Me:
        return cls(
            id=user.id,
            name=user.name,
            email=user.email,
            role=user.role,
            locale=user.locale,
            organization=OrganizationSummary.of(user.organization),
        )
