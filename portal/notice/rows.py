"""The notice's lists, read as rows of the columns they show, not as objects.

A candidate row carries what the table prints and what the balance figures count
(portal.balance reads category.kind, the women and age figures, district and industry); the
few categories, districts and industries are shared objects, one of each. The objection list
is paged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CampaignCategory
from portal.notice.models import Objection, ObjectionFile, ObjectionStatus, PublicNotice
from portal.organizations.models import District, Industry, Organization
from portal.pagination import Page, paginate

OBJECTIONS_PER_PAGE = 100


@dataclass(frozen=True, slots=True)
class CandidateRow:
    id: int
    title: str
    unit: str
    category: CampaignCategory
    district: District | None
    industry: Industry | None
    member_count: int | None
    women_count: int | None
    average_age: Decimal | None
    female: bool | None
    age: int | None


_COLUMNS = (
    Application.id,
    Application.team_name,
    Application.person_name,
    Organization.name,
    Application.category_id,
    Application.member_count,
    Application.women_count,
    Application.average_age,
    Application.female,
    Application.age,
)


def candidate_rows(session: Session, campaign: Campaign) -> list[CandidateRow]:
    """The campaign's candidate list in the order of service.candidates, in one statement
    (and one for the campaign's categories when they are not loaded yet)."""
    found = session.execute(
        sa.select(*_COLUMNS, District, Industry)
        .join(Application.organization)
        .outerjoin(Application.district)
        .outerjoin(Application.industry)
        .where(
            Application.campaign_id == campaign.id,
            Application.state == ApplicationState.CANDIDATE,
        )
        .order_by(Application.category_id, Application.id)
    ).all()
    categories = {c.id: c for c in campaign.categories}
    return [
        CandidateRow(
            id=r.id,
            title=(r.team_name or r.person_name or "").strip(),
            unit=r.name,
            category=categories[r.category_id],
            district=r.District,
            industry=r.Industry,
            member_count=r.member_count,
            women_count=r.women_count,
            average_age=r.average_age,
            female=r.female,
            age=r.age,
        )
        for r in found
    ]


@dataclass(frozen=True, slots=True)
class ObjectionRow:
    id: int
    case_number: str
    created_at: datetime
    title: str  # the candidate's
    unit: str
    name: str  # the objector's
    files: int
    investigator: str
    status: ObjectionStatus


def objection_rows(
    session: Session,
    campaign_id: int | None = None,
    status: ObjectionStatus | None = None,
    page: int = 1,
) -> Page[ObjectionRow]:
    """A page of the objections, newest first, as objections.list_objections filters them:
    one statement, and one more for the page after the last."""
    investigator = sa.orm.aliased(User)
    files = (
        sa.select(sa.func.count(ObjectionFile.id))
        .where(ObjectionFile.objection_id == Objection.id)
        .scalar_subquery()
    )
    query = (
        sa.select(
            Objection.id,
            Objection.case_number,
            Objection.created_at,
            Application.team_name,
            Application.person_name,
            Organization.name,
            Objection.name,
            files,
            investigator.name,
            Objection.status,
        )
        .join(Objection.notice)
        .join(Objection.application)
        .join(Application.organization)
        .outerjoin(investigator, investigator.id == Objection.investigator_id)
        .order_by(Objection.id.desc())
    )
    if campaign_id is not None:
        query = query.where(PublicNotice.campaign_id == campaign_id)
    if status is not None:
        query = query.where(Objection.status == status)
    found = paginate(session, query, page, OBJECTIONS_PER_PAGE)
    rows = [
        ObjectionRow(id_, case, at, (team or person or "").strip(), unit, name, n, who or "", st)
        for id_, case, at, team, person, unit, name, n, who, st in found.items
    ]
    return Page(rows, found.page, found.per_page, found.has_next)
