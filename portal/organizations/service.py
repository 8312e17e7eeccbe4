"""Organization operations for the office: create, edit, deactivate, each one audited."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, fields

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit, signals
from portal.checks import credit_code_problem, is_mobile, normalize_credit_code
from portal.errors import Invalid
from portal.organizations.models import ChannelLevel, Organization, OrgKind, OrgSystem, UnitNature
from portal.organizations.rules import role_fits_kind

POSTCODE_RE = re.compile(r"^\d{6}$")

# Which optional attributes each kind of organization carries; the others are cleared.
KIND_FIELDS: dict[OrgKind, frozenset[str]] = {
    OrgKind.ORGANIZER: frozenset({"system"}),
    OrgKind.OFFICE: frozenset({"parent_id"}),
    OrgKind.CHANNEL: frozenset({"system", "channel_level", "district_id", "industry_id"}),
    OrgKind.ENTERPRISE: frozenset(
        {"credit_code", "unit_nature", "district_id", "industry_id", "parent_id"}
    ),
    OrgKind.OTHER: frozenset({"district_id", "industry_id", "parent_id"}),
}
KIND_DEPENDENT = (
    "system",
    "channel_level",
    "district_id",
    "industry_id",
    "parent_id",
    "credit_code",
    "unit_nature",
)


class OrganizationInvalid(Invalid):
    """The data break one or more rules; problems maps a field name to a problem key."""

    problems: dict[str, str]

    def __init__(self, problems: dict[str, str]):
        super().__init__(problems)


@dataclass
class OrganizationData:
    """What the office enters for an organization."""

    name: str
    kind: OrgKind
    system: OrgSystem | None = None
    channel_level: ChannelLevel | None = None
    district_id: int | None = None
    industry_id: int | None = None
    parent_id: int | None = None
    credit_code: str | None = None
    unit_nature: UnitNature | None = None
    contact_name: str | None = None
    contact_mobile: str | None = None
    contact_email: str | None = None
    address: str | None = None
    postcode: str | None = None

    def normalized(self) -> OrganizationData:
        """Strip text, empty strings to None, and clear what this kind does not carry."""
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str) and not isinstance(value, enum.Enum):
                value = value.strip() or None
            values[f.name] = value
        values["name"] = values["name"] or ""
        if values["credit_code"]:
            values["credit_code"] = normalize_credit_code(values["credit_code"])
        if values["contact_email"]:
            values["contact_email"] = values["contact_email"].lower()
        keep = KIND_FIELDS[self.kind]
        for name in KIND_DEPENDENT:
            if name not in keep:
                values[name] = None
        if values["channel_level"] is ChannelLevel.INDUSTRY:
            values["district_id"] = None
        elif values["channel_level"] is ChannelLevel.DISTRICT:
            values["industry_id"] = None
        return OrganizationData(**values)


def quality_organizer(session: Session) -> Organization | None:
    """The quality association organizer (市质协), which hosts the programme office."""
    return session.scalar(
        sa.select(Organization).where(
            Organization.kind == OrgKind.ORGANIZER,
            Organization.system == OrgSystem.QUALITY,
            Organization.active.is_(True),
        )
    )


def _taken(session: Session, column, value, existing: Organization | None) -> bool:
    query = sa.select(Organization.id).where(column == value)
    if existing is not None:
        query = query.where(Organization.id != existing.id)
    return session.scalar(query.limit(1)) is not None


def _ancestors(session: Session, org_id: int | None) -> set[int]:
    seen: set[int] = set()
    while org_id is not None and org_id not in seen:
        seen.add(org_id)
        org_id = session.scalar(sa.select(Organization.parent_id).where(Organization.id == org_id))
    return seen


def _kind_problems(session: Session, d: OrganizationData, existing) -> dict[str, str]:
    """The rules of the CHECK constraints, and those of the programme, per kind."""
    problems: dict[str, str] = {}
    active_same_kind = sa.select(Organization.id).where(
        Organization.kind == d.kind, Organization.active.is_(True)
    )
    if existing is not None:
        active_same_kind = active_same_kind.where(Organization.id != existing.id)
    if d.kind in (OrgKind.ORGANIZER, OrgKind.CHANNEL) and d.system is None:
        problems["system"] = "system_required"
    if (
        d.kind is OrgKind.ORGANIZER
        and d.system is not None
        and session.scalar(active_same_kind.where(Organization.system == d.system).limit(1))
    ):
        problems["system"] = "organizer_exists"
    if d.kind is OrgKind.OFFICE:
        host = quality_organizer(session)
        if host is None:
            problems["parent_id"] = "office_needs_quality_organizer"
        elif d.parent_id is None:
            d.parent_id = host.id
        elif d.parent_id != host.id:
            problems["parent_id"] = "office_parent"
    if d.kind is OrgKind.CHANNEL:
        if d.channel_level is None:
            problems["channel_level"] = "channel_level_required"
        elif d.channel_level is ChannelLevel.DISTRICT:
            if d.district_id is None:
                problems["district_id"] = "district_required"
            elif d.system is not None and session.scalar(
                active_same_kind.where(
                    Organization.system == d.system,
                    Organization.channel_level == ChannelLevel.DISTRICT,
                    Organization.district_id == d.district_id,
                ).limit(1)
            ):
                problems["district_id"] = "district_channel_exists"
    if d.kind is OrgKind.ENTERPRISE:
        if not d.credit_code:
            problems["credit_code"] = "credit_code_required"
        elif problem := credit_code_problem(d.credit_code):
            problems["credit_code"] = f"credit_code_{problem}"
        elif _taken(session, Organization.credit_code, d.credit_code, existing):
            problems["credit_code"] = "credit_code_taken"
        if d.district_id is None:
            problems["district_id"] = "district_required"
        if d.industry_id is None:
            problems["industry_id"] = "industry_required"
    return problems


def organization_problems(
    session: Session, data: OrganizationData, existing: Organization | None = None
) -> dict[str, str]:
    """Every problem with the (normalized) data at once, keyed by field."""
    problems: dict[str, str] = {}
    if not data.name:
        problems["name"] = "name_required"
    elif _taken(session, Organization.name, data.name, existing):
        problems["name"] = "name_taken"
    problems.update(_kind_problems(session, data, existing))
    if data.contact_mobile and not is_mobile(data.contact_mobile):
        problems["contact_mobile"] = "mobile"
    if data.postcode and not POSTCODE_RE.match(data.postcode):
        problems["postcode"] = "postcode"
    if data.parent_id is not None and "parent_id" not in problems:
        parent = session.get(Organization, data.parent_id)
        if parent is None:
            problems["parent_id"] = "parent_missing"
        elif existing is not None and existing.id in _ancestors(session, data.parent_id):
            problems["parent_id"] = "parent_cycle"
    if (
        existing is not None
        and data.kind is not existing.kind
        and _holds_misfits(session, existing, data.kind)
    ):
        problems["kind"] = "kind_has_users"
    return problems


def _apply(org: Organization, data: OrganizationData) -> None:
    for f in fields(data):
        setattr(org, f.name, getattr(data, f.name))


def create_organization(session: Session, actor, data: OrganizationData) -> Organization:
    """Create an organization of any kind, or raise OrganizationInvalid with every problem."""
    data = data.normalized()
    problems = organization_problems(session, data)
    if problems:
        raise OrganizationInvalid(problems)
    org = Organization()
    _apply(org, data)
    session.add(org)
    session.flush()
    audit.record(
        session, actor=actor, action="organization.create", obj=org, after=audit.snapshot(org)
    )
    return org


def update_organization(
    session: Session, actor, org: Organization, data: OrganizationData
) -> Organization:
    """Change an organization's data; the audit entry keeps the before and after snapshots."""
    data = data.normalized()
    problems = organization_problems(session, data, existing=org)
    if problems:
        raise OrganizationInvalid(problems)
    before = audit.snapshot(org)
    _apply(org, data)
    session.flush()
    after = audit.snapshot(org)
    if after != before:
        audit.record(
            session, actor=actor, action="organization.update", obj=org, before=before, after=after
        )
    return org


def _holds_misfits(session: Session, org: Organization, kind: OrgKind) -> bool:
    """Whether an account of org has a role that an organization of this kind may not hold."""
    return any(not role_fits_kind(user.role, kind) for user in accounts_of(session, org))


def accounts_of(session: Session, org: Organization) -> list:
    """The organization's user accounts by name (the accounts package answers)."""
    answers = signals.answers(signals.organization_accounts, org, session=session)
    return [user for answer in answers for user in answer]


def active_user_count(session: Session, org: Organization) -> int:
    return sum(1 for user in accounts_of(session, org) if user.active)


def set_organization_active(session: Session, actor, org: Organization, active: bool) -> None:
    """Deactivate (or reactivate) an organization; one with active accounts stays active."""
    if org.active == active:
        return
    if not active and active_user_count(session, org):
        raise OrganizationInvalid({"active": "has_active_users"})
    before = audit.snapshot(org)
    org.active = active
    audit.record(
        session,
        actor=actor,
        action="organization.activate" if active else "organization.deactivate",
        obj=org,
        before=before,
        after=audit.snapshot(org),
    )
