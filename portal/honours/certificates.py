"""Gather what certificates show: the honour, its campaign and the four organizers' names."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.campaigns.models import Campaign
from portal.honours.models import Honour
from portal.honours.service import HONOUR_OPTIONS
from portal.notice.service import ORGANIZER_SYSTEMS, organizers
from portal.organizations.models import OrgSystem


@dataclass(frozen=True)
class CertificateData:
    """What one certificate shows."""

    holder: str
    unit: str
    kind: str  # "team" or "individual"
    category: str
    year: int
    theme: str
    organizers: Sequence[str]  # the four organizers, in the programme's order
    awarded_on: date
    valid_until: date
    certificate_number: str
    verification_code: str
    verify_url: str


# Used when an organizer organization is not registered in the portal.
DEFAULT_ORGANIZER_NAMES = {
    OrgSystem.QUALITY: "市质量协会",
    OrgSystem.UNION: "市总工会",
    OrgSystem.YOUTH: "共青团市委",
    OrgSystem.WOMEN: "市妇女联合会",
}


def organizer_names(session: Session) -> list[str]:
    found = organizers(session)
    return [
        org.name if (org := found.get(system)) else DEFAULT_ORGANIZER_NAMES[system]
        for system in ORGANIZER_SYSTEMS
    ]


def certificate_data(
    honour: Honour, organizers: Sequence[str], verify_url: Callable[[str], str]
) -> CertificateData:
    return CertificateData(
        holder=honour.holder_name,
        unit=honour.unit_name,
        kind=honour.category.kind.value,
        category=honour.category.name_zh,
        year=honour.campaign.year,
        theme=honour.campaign.theme,
        organizers=tuple(organizers),
        awarded_on=honour.awarded_on,
        valid_until=honour.valid_until,
        certificate_number=honour.certificate_number,
        verification_code=honour.verification_code,
        verify_url=verify_url(honour.verification_code),
    )


def campaign_certificates(
    session: Session, campaign: Campaign, verify_url: Callable[[str], str]
) -> list[CertificateData]:
    """Certificates of every honour of the campaign that is not revoked, by number."""
    names = organizer_names(session)
    honours = session.scalars(
        sa.select(Honour)
        .where(Honour.campaign_id == campaign.id, Honour.revoked_at.is_(None))
        .options(*HONOUR_OPTIONS)
        .order_by(Honour.certificate_number)
    ).all()
    return [certificate_data(h, names, verify_url) for h in honours]
