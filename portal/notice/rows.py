"""The notice's lists, read as rows of the columns they show, not as objects.

A candidate row carries what the office's table prints (the balance figures of the whole list
are counted in the database: portal.notice.figures). Both lists are paged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CampaignCategory
from portal.i18n import is_chinese, name_column
from portal.notice.models import Objection, ObjectionFile, ObjectionStatus, PublicNotice
from portal.notice.public import joined_page
from portal.organizations.models import District, Industry, Organization
from portal.pagination import Page, counted_page, paginate

OBJECTIONS_PER_PAGE = 100
CANDIDATES_PER_PAGE = 100


class CandidateRow(NamedTuple):
    """A candidate as the office's list prints it, names in the reader's language."""

    id: int
    title: str
    unit: str
    category: str
    industry: str
    district: str


@cache
def _candidates(zh: bool, backward: bool) -> sa.Select:
    """A page of the candidate list, built once per language; its parameters: campaign_id,
    limit and offset (from the end when `backward`: pagination.window). The page's ids are
    found in ix_application_notice_list alone, and only they are joined to what the list
    prints."""
    ids = sa.select(Application.id).where(
        Application.campaign_id == sa.bindparam("campaign_id"),
        Application.state == ApplicationState.CANDIDATE,
    )
    return joined_page(
        ids,
        Application.id,
        Application.team_name,
        Application.person_name,
        Organization.name,
        name_column(CampaignCategory, zh),
        name_column(Industry, zh),
        name_column(District, zh),
        backward=backward,
    )


def candidate_page(
    session: Session, campaign: Campaign, page: int, total: int
) -> Page[CandidateRow]:
    """Page `page` of the campaign's candidate list in the order of service.candidates, of the
    `total` candidates counted with its figures (a page beyond the last is the last): one
    statement."""
    reading = counted_page(total, page, CANDIDATES_PER_PAGE)
    values = {"campaign_id": campaign.id, **reading.bounds}
    found = session.execute(_candidates(is_chinese(), reading.backward), values)
    return reading.of(
        [
            CandidateRow(id_, (team or person or "").strip(), *rest)
            for id_, team, person, *rest in found
        ]
    )


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
