"""Versioned JSON API with bearer-token authentication."""

from __future__ import annotations

import enum
import math

import sqlalchemy as sa
from flask import Blueprint, jsonify, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from portal.api import openapi, serializers, visibility
from portal.api.auth import api_user, authenticate, is_public
from portal.api.errors import ApiError, error_response, http_error_response, localized
from portal.campaigns.models import Campaign, CampaignStatus
from portal.db import get_session
from portal.inputs import DB_INT_MAX, parse_int, range_message
from portal.organizations.models import District, Organization, OrgKind, OrgSystem

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLIC_ENDPOINTS = {"api.openapi_document"}
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


@bp.before_request
def _authenticate():
    if request.endpoint not in PUBLIC_ENDPOINTS and not is_public(request.endpoint):
        authenticate()


@bp.after_request
def _finish(response):
    if request.endpoint not in PUBLIC_ENDPOINTS and not is_public(request.endpoint):
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Authorization")
    return localized(response)


@bp.errorhandler(ApiError)
def _api_error(err: ApiError):
    return error_response(err)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return http_error_response(exc)


def _invalid(name: str, message) -> ApiError:
    return ApiError(400, "invalid_parameter", message, parameter=name)


def _int_arg(name: str, default: int | None, lowest: int, highest: int | None = None):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = parse_int(raw, lowest, DB_INT_MAX if highest is None else highest)
    if value is not None:
        return value
    if highest is None and parse_int(raw, lowest, 10**18) is not None:
        raise _invalid(name, range_message(name, lowest, DB_INT_MAX))  # beyond the database
    if highest is None:
        message = _l(
            "The parameter %(name)s must be a whole number of at least %(low)s.",
            name=name,
            low=lowest,
        )
    else:
        message = _l(
            "The parameter %(name)s must be a whole number from %(low)s to %(high)s.",
            name=name,
            low=lowest,
            high=highest,
        )
    raise _invalid(name, message)


def _enum_arg(name: str, enum_cls: type[enum.Enum]):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        allowed = ", ".join(m.value for m in enum_cls)
        raise _invalid(
            name,
            _l(
                "Unknown value '%(value)s' for %(name)s; use one of: %(allowed)s.",
                value=raw,
                name=name,
                allowed=allowed,
            ),
        ) from None


def _page(query: sa.Select, options: list) -> tuple[list, dict]:
    """One count query and one page query (plus a fixed number of eager loads)."""
    page = _int_arg("page", 1, 1)
    per_page = _int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    session = get_session()
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = session.scalars(
        query.options(*options).limit(per_page).offset((page - 1) * per_page)
    ).all()
    meta = {
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": math.ceil(total / per_page),
    }
    return list(rows), meta


def _not_found(what) -> ApiError:
    return ApiError(404, "not_found", what)


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())


@bp.get("/me")
def me():
    return jsonify(serializers.me(api_user()))


ORG_OPTIONS = [selectinload(Organization.district), selectinload(Organization.industry)]


@bp.get("/organizations")
def organizations():
    user = api_user()
    query = sa.select(Organization).where(visibility.visible_organizations(user))
    if kind := _enum_arg("kind", OrgKind):
        query = query.where(Organization.kind == kind)
    if system := _enum_arg("system", OrgSystem):
        query = query.where(Organization.system == system)
    if code := request.args.get("district"):
        district_id = get_session().scalar(sa.select(District.id).where(District.code == code))
        if district_id is None:
            raise _invalid(
                "district", _l("There is no district with the code '%(code)s'.", code=code)
            )
        query = query.where(Organization.district_id == district_id)
    rows, meta = _page(query.order_by(Organization.id), ORG_OPTIONS)
    data = [
        serializers.organization(o, personal=visibility.can_see_personal_data(user, o))
        for o in rows
    ]
    return jsonify({"data": data, "meta": meta})


@bp.get("/organizations/<int:organization_id>")
def organization(organization_id: int):
    user = api_user()
    org = get_session().get(Organization, organization_id)
    if org is None or not visibility.can_see_organization(user, org):
        raise _not_found(_l("There is no organization with the id %(id)s.", id=organization_id))
    return jsonify(
        serializers.organization(org, personal=visibility.can_see_personal_data(user, org))
    )


def _campaign_options(rubric: bool) -> list:
    options = [
        selectinload(Campaign.categories),
        selectinload(Campaign.stages),
        selectinload(Campaign.districts),
        selectinload(Campaign.industries),
    ]
    if rubric:
        options.append(selectinload(Campaign.rubric))
    return options


@bp.get("/campaigns")
def campaigns():
    user = api_user()
    query = sa.select(Campaign).where(visibility.visible_campaigns(user))
    if status := _enum_arg("status", CampaignStatus):
        query = query.where(Campaign.status == status)
    if (year := _int_arg("year", None, 1900, 9999)) is not None:
        query = query.where(Campaign.year == year)
    rubric = visibility.can_see_rubric(user)
    rows, meta = _page(query.order_by(Campaign.year.desc()), _campaign_options(rubric))
    data = [serializers.campaign(c, rubric=rubric) for c in rows]
    return jsonify({"data": data, "meta": meta})


@bp.get("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int):
    user = api_user()
    row = get_session().get(Campaign, campaign_id)
    if row is None or not visibility.can_see_campaign(user, row):
        raise _not_found(_l("There is no campaign with the id %(id)s.", id=campaign_id))
    return jsonify(serializers.campaign(row, rubric=visibility.can_see_rubric(user)))


# Each domain's routes register themselves on `bp`.
from portal.api import (  # noqa: E402, F401
    applications,
    honours,
    notice,
    review,
    scoring,
    scoring_results,
)
