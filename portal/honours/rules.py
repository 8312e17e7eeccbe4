"""Who may do what with honours; the three-year validity; codes; flags on repeat applicants."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from portal.applications.models import Application, TeamMember
from portal.campaigns.models import CategoryKind
from portal.clock import SHANGHAI, shanghai_today
from portal.honours.models import Honour, HonourStatus
from portal.roles import Role, has_role

VALID_YEARS = 3
# Flag packets of holders whose honour was revoked within this many years.
REVOKED_LOOKBACK_YEARS = 3
# No 0/O, 1/I/L: a code read aloud or typed from paper cannot be mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
_CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
KIND_LETTER = {CategoryKind.TEAM: "T", CategoryKind.INDIVIDUAL: "I"}


# --- dates ---------------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def valid_until_for(awarded_on: date) -> date:
    """Three years less a day: awarded 2025-12-20, valid through 2028-12-19;
    awarded 2024-02-29, valid through 2027-02-28."""
    return add_years(awarded_on, VALID_YEARS) - timedelta(days=1)


# --- numbers and codes ---------------------------------------------------------------------


def certificate_number(year: int, kind: CategoryKind, serial: int) -> str:
    return f"FWMX-{year}-{KIND_LETTER[kind]}-{serial:03d}"


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str | None) -> str | None:
    """The code as stored, from what a visitor typed (case, spaces and dashes ignored);
    None when it cannot be a code at all."""
    code = re.sub(r"[\s\-]", "", raw or "").upper()
    return code if _CODE_RE.match(code) else None


# --- permissions ---------------------------------------------------------------------------


def can_manage_honours(user) -> bool:
    """Record inspections and complaints, propose revocations, confirm the final list."""
    return has_role(user, Role.OFFICE)


def can_view_honour_records(user) -> bool:
    """The management pages: the office runs them, the organizers decide on revocations."""
    return has_role(user, Role.OFFICE, Role.ORGANIZER)


def can_decide_revocation(user) -> bool:
    """An approver of one of the four organizers (the organization is checked by the service)."""
    return has_role(user, Role.ORGANIZER)


def can_download_certificate(user, honour: Honour) -> bool:
    if can_view_honour_records(user):
        return True
    return has_role(user, Role.ENTERPRISE) and user.organization_id == honour.organization_id


def can_see_holder_flags(user) -> bool:
    """Reviewers and the office see that a packet comes from a current or revoked holder."""
    return has_role(user, Role.OFFICE, Role.CHANNEL_REVIEWER, Role.EXPERT, Role.ORGANIZER)


# --- repeat applicants ---------------------------------------------------------------------


@dataclass(frozen=True)
class HolderFlag:
    """An honour the applicant already holds, or lost by revocation in the last three years."""

    honour: Honour
    status: HonourStatus
    same_person: bool  # matched by an ID number (individual or team member), not the unit

    @property
    def revoked(self) -> bool:
        return self.status is HonourStatus.REVOKED


def holder_flags(
    session: Session, application: Application, now: datetime | None = None
) -> list[HolderFlag]:
    """Honours of other campaigns held by the packet's organization, or by a person the packet
    names (the individual or a team member, by ID number, as individual or team member then),
    that are current, or were revoked in the last three years."""
    today = shanghai_today(now)
    lookback = add_years(today, -REVOKED_LOOKBACK_YEARS)
    holder = Honour.organization_id == application.organization_id
    numbers = {application.id_number, *(m.id_number for m in application.members)} - {None}
    if numbers:
        same_id = sa.select(Application.id).where(Application.id_number.in_(numbers))
        in_team = sa.select(TeamMember.application_id).where(TeamMember.id_number.in_(numbers))
        holder = sa.or_(
            holder, Honour.application_id.in_(same_id), Honour.application_id.in_(in_team)
        )
    current = Honour.status_filter(HonourStatus.ACTIVE, today)
    # revoked_at is an instant: compare with the start of the lookback day in Shanghai.
    since = datetime.combine(lookback, datetime.min.time(), tzinfo=SHANGHAI)
    recently_revoked = Honour.revoked_at >= since
    honours = session.scalars(
        sa.select(Honour)
        .where(holder, Honour.campaign_id != application.campaign_id)
        .where(sa.or_(current, recently_revoked))
        .options(joinedload(Honour.campaign), joinedload(Honour.category))
        .order_by(Honour.awarded_on.desc(), Honour.id)
    ).all()
    return [
        HolderFlag(
            honour=h,
            status=h.status_on(today),
            same_person=h.organization_id != application.organization_id,
        )
        for h in honours
    ]
