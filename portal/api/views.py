"""Versioned JSON API with bearer-token authentication."""

from __future__ import annotations

import math
from typing import Any

import sqlalchemy as sa
from flask import Response, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from portal.api import visibility
from portal.api.auth import api_user, authenticate, is_public
from portal.api.errors import ApiError, error_response, http_error_response, localized
from portal.api.models import campaigns as campaign_models
from portal.api.models import organizations as models
from portal.api.models.campaigns import CampaignPage, CampaignQuery
from portal.api.models.common import PageMeta
from portal.api.models.organizations import Me, OrganizationPage, OrganizationQuery
from portal.api.spec import PageQuery, answer, bp, operation
from portal.campaigns.models import Campaign
from portal.db import get_session
from portal.organizations.models import District, Organization

NOT_FOUND = "No such record, or not visible to this account"


@bp.before_request
def _authenticate() -> None:
    if not is_public(request.endpoint):
        authenticate()


@bp.after_request
def _finish(response: Response) -> Response:
    if not is_public(request.endpoint):
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Authorization")
    return localized(response)


@bp.errorhandler(ApiError)
def _api_error(err: ApiError) -> Response:
    return error_response(err)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return http_error_response(exc)


def _invalid(name: str, message: Any) -> ApiError:
    return ApiError(400, "invalid_parameter", message, parameter=name)


def page_of(
    select: sa.Select[Any], options: list[Any], paging: PageQuery
) -> tuple[list[Any], PageMeta]:
    """One count query and one page query (plus a fixed number of eager loads)."""
    page, per_page = paging.page, paging.per_page
    session = get_session()
    total = session.scalar(sa.select(sa.func.count()).select_from(select.subquery())) or 0
    rows = session.scalars(
        select.options(*options).limit(per_page).offset((page - 1) * per_page)
    ).all()
    pages = math.ceil(total / per_page)
    return list(rows), PageMeta(page=page, per_page=per_page, total=total, pages=pages)


def _not_found(what: Any) -> ApiError:
    return ApiError(404, "not_found", what)


@operation("/me", "The token's user and organization", Me, description="The user")
def me() -> Response:
    return answer(Me.of(api_user()))


ORG_OPTIONS = [selectinload(Organization.district), selectinload(Organization.industry)]


@operation(
    "/organizations",
    "Organizations visible to the token's user",
    OrganizationPage,
    query=OrganizationQuery,
    description="One page of organizations, by id",
)
def organizations(query: OrganizationQuery) -> Response:
    user = api_user()
    select = sa.select(Organization).where(visibility.visible_organizations(user))
    if query.kind:
        select = select.where(Organization.kind == query.kind)
    if query.system:
        select = select.where(Organization.system == query.system)
    if code := query.district:
        district_id = get_session().scalar(sa.select(District.id).where(District.code == code))
        if district_id is None:
            raise _invalid(
                "district", _l("There is no district with the code '%(code)s'.", code=code)
            )
        select = select.where(Organization.district_id == district_id)
    rows, meta = page_of(select.order_by(Organization.id), ORG_OPTIONS, query)
    data = [
        models.Organization.full(o, personal=visibility.can_see_personal_data(user, o))
        for o in rows
    ]
    return answer(OrganizationPage(data=data, meta=meta))


@operation(
    "/organizations/<int:organization_id>",
    "One organization",
    models.Organization,
    path_ids={"organization_id": "organization"},
    errors={404: NOT_FOUND},
)
def organization(organization_id: int) -> Response:
    user = api_user()
    org = get_session().get(Organization, organization_id)
    if org is None or not visibility.can_see_organization(user, org):
        raise _not_found(_l("There is no organization with the id %(id)s.", id=organization_id))
    personal = visibility.can_see_personal_data(user, org)
    return answer(models.Organization.full(org, personal=personal))


def _campaign_options(rubric: bool) -> list[Any]:
    options = [
        selectinload(Campaign.categories),
        selectinload(Campaign.stages),
        selectinload(Campaign.districts),
        selectinload(Campaign.industries),
    ]
    if rubric:
        options.append(selectinload(Campaign.rubric))
    return options


@operation(
    "/campaigns",
    "Campaigns (drafts only for the office, organizers and administrators)",
    CampaignPage,
    query=CampaignQuery,
    description="One page of campaigns, newest year first",
)
def campaigns(query: CampaignQuery) -> Response:
    user = api_user()
    select = sa.select(Campaign).where(visibility.visible_campaigns(user))
    if query.status:
        select = select.where(Campaign.status == query.status)
    if query.year is not None:
        select = select.where(Campaign.year == query.year)
    rubric = visibility.can_see_rubric(user)
    rows, meta = page_of(select.order_by(Campaign.year.desc()), _campaign_options(rubric), query)
    data = [campaign_models.Campaign.of(c, rubric=rubric) for c in rows]
    return answer(CampaignPage(data=data, meta=meta))


@operation(
    "/campaigns/<int:campaign_id>",
    "One campaign",
    campaign_models.Campaign,
    path_ids={"campaign_id": "campaign"},
    errors={404: NOT_FOUND},
)
def campaign(campaign_id: int) -> Response:
    user = api_user()
    row = get_session().get(Campaign, campaign_id)
    if row is None or not visibility.can_see_campaign(user, row):
        raise _not_found(_l("There is no campaign with the id %(id)s.", id=campaign_id))
    return answer(campaign_models.Campaign.of(row, rubric=visibility.can_see_rubric(user)))


# Each domain's routes register themselves on `bp`.
from portal.api import (  # noqa: E402, F401
    application_files,
    applications,
    honours,
    notice,
    openapi,
    review,
    scoring,
    scoring_results,
)
