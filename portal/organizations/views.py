"""Organization management for the programme office and administrators."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.db import get_or_404, get_session
from portal.inputs import query_int
from portal.listing import labels_of, url_pattern
from portal.organizations import rules, service
from portal.organizations.forms import PROBLEM_MESSAGES, OrganizationFilterForm, OrganizationForm
from portal.organizations.models import (
    ChannelLevel,
    District,
    Industry,
    Organization,
    OrgKind,
    OrgSystem,
)
from portal.pagination import Page, found_first, next_known_page

bp = Blueprint("organizations", __name__, url_prefix="/office/organizations")
PAGE_SIZE = 100
# The list's order: by kind, then by name (unique).
_ORDER = (Organization.kind, Organization.name)


@bp.before_request
@login_required
def _office_only():
    if not rules.can_manage_organizations(current_user):
        abort(403)


def organizations_query(filters: OrganizationFilterForm) -> sa.Select:
    """The list's rows, `limit` from place `offset` (bind parameters), as (id, name, kind,
    system, level, district and industry in Chinese and English, active): the list only shows
    them, and three objects per row cost more than the rest of the page. The page's
    organizations are found first along ix_organization_list (kind, name and whether active:
    the list's order and its usual filters), and only they are joined to their district and
    industry: joined before the offset, every organization passed over on the way to a deep
    page was joined and sorted too."""
    ids = sa.select(Organization.id)
    if filters.kind.data:
        ids = ids.where(Organization.kind == filters.kind.data)
    if filters.system.data:
        ids = ids.where(Organization.system == filters.system.data)
    if filters.district_id.data:
        ids = ids.where(Organization.district_id == filters.district_id.data)
    if filters.status.data != "all":
        ids = ids.where(Organization.active.is_(filters.status.data != "inactive"))
    if filters.q.data and filters.q.data.strip():
        ids = ids.where(Organization.name.contains(filters.q.data.strip(), autoescape=True))
    found = found_first(ids, _ORDER)
    return (
        sa.select(
            Organization.id,
            Organization.name,
            Organization.kind,
            Organization.system,
            Organization.channel_level,
            District.name_zh,
            District.name_en,
            Industry.name_zh,
            Industry.name_en,
            Organization.active,
        )
        .select_from(found)
        .join(Organization, Organization.id == found.c.id)
        .outerjoin(Organization.district)
        .outerjoin(Organization.industry)
        .order_by(*_ORDER)
    )


def filtered_organizations(filters: OrganizationFilterForm, page: int) -> Page[tuple]:
    """Page `page` of the list (from 1), one row more read to learn whether a next page
    exists."""
    return next_known_page(get_session(), organizations_query(filters), page, PAGE_SIZE)


@bp.route("/")
def index():
    filters = OrganizationFilterForm(formdata=request.args)
    page = query_int("page", 1)
    result = filtered_organizations(filters, page)
    return render_template(
        "organizations/index.html",
        organizations=result.items,
        edit_url=url_pattern("organizations.edit", "org_id"),
        kinds=labels_of(OrgKind),
        systems=labels_of(OrgSystem),
        levels=labels_of(ChannelLevel),
        filters=filters,
        page=result.page,
        has_next=result.has_next,
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = OrganizationForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            org = service.create_organization(session, current_user, form.to_data())
        except service.OrganizationInvalid as err:
            form.show_problems(err.problems)
        else:
            session.commit()
            flash(_("The organization %(name)s is created.", name=org.name), "success")
            return redirect(url_for("organizations.edit", org_id=org.id))
    return render_template("organizations/form.html", form=form, org=None)


@bp.route("/<int:org_id>/edit", methods=["GET", "POST"])
def edit(org_id: int):
    org = get_or_404(Organization, org_id)
    form = OrganizationForm(obj=org, org=org)
    if form.validate_on_submit():
        session = get_session()
        try:
            service.update_organization(session, current_user, org, form.to_data())
        except service.OrganizationInvalid as err:
            form.show_problems(err.problems)
        else:
            session.commit()
            flash(_("The organization is saved."), "success")
            return redirect(url_for("organizations.edit", org_id=org.id))
    users = service.accounts_of(get_session(), org)
    return render_template("organizations/form.html", form=form, org=org, users=users)


def _set_active(org_id: int, active: bool):
    session = get_session()
    org = get_or_404(Organization, org_id)
    try:
        service.set_organization_active(session, current_user, org, active)
    except service.OrganizationInvalid as err:
        flash(str(PROBLEM_MESSAGES[err.problems["active"]]), "error")
    else:
        session.commit()
        if active:
            flash(_("The organization %(name)s is active again.", name=org.name), "success")
        else:
            flash(_("The organization %(name)s is deactivated.", name=org.name), "success")
    return redirect(url_for("organizations.edit", org_id=org.id))


@bp.route("/<int:org_id>/deactivate", methods=["POST"])
def deactivate(org_id: int):
    return _set_active(org_id, False)


@bp.route("/<int:org_id>/activate", methods=["POST"])
def activate(org_id: int):
    return _set_active(org_id, True)
