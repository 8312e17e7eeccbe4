"""User account and role management for the programme office and administrators."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.accounts import rules, service_users
from portal.accounts.forms_users import EditUserForm, NewUserForm, UserFilterForm
from portal.accounts.models import User
from portal.db import get_or_404, get_session
from portal.inputs import query_int
from portal.listing import labels_of, url_pattern
from portal.organizations.models import Organization
from portal.pagination import Page, found_first, next_known_page
from portal.roles import Role

bp = Blueprint("users", __name__, url_prefix="/office/users")
PAGE_SIZE = 100
# The list's order: by role, then by address (unique).
_ORDER = (User.role, User.email)


@bp.before_request
@login_required
def _office_only():
    if not rules.can_manage_users(current_user):
        abort(403)


def users_query(filters: UserFilterForm) -> sa.Select:
    """The list's rows as (id, name, email, role, active, organization's name), `limit` from
    place `offset` (bind parameters): the list only shows them, and a user and an organization
    object per row cost more than the rest of the page. The page's users are found first along
    ix_user_account_list (role, email and whether active: the list's order and its usual
    filters), and only they are joined to their organization: joined before the offset, every
    user passed over on the way to a deep page was joined and sorted too."""
    ids = sa.select(User.id)
    if filters.role.data in {r.value for r in Role}:
        ids = ids.where(User.role == Role(filters.role.data))
    if filters.org_kind.data:
        ids = ids.join(User.organization).where(Organization.kind == filters.org_kind.data)
    if filters.status.data != "all":
        ids = ids.where(User.active.is_(filters.status.data != "inactive"))
    text = (filters.q.data or "").strip()
    if text:
        ids = ids.where(
            sa.or_(
                User.name.contains(text, autoescape=True),
                User.email.contains(text.lower(), autoescape=True),
            )
        )
    found = found_first(ids, _ORDER)
    return (
        sa.select(User.id, User.name, User.email, User.role, User.active, Organization.name)
        .select_from(found)
        .join(User, User.id == found.c.id)
        .join(User.organization)
        .order_by(*_ORDER)
    )


def filtered_users(filters: UserFilterForm, page: int) -> Page[tuple]:
    """Page `page` of the list (from 1), one row more read to learn whether a next page
    exists."""
    return next_known_page(get_session(), users_query(filters), page, PAGE_SIZE)


@bp.route("/")
def index():
    filters = UserFilterForm(formdata=request.args)
    page = query_int("page", 1)
    result = filtered_users(filters, page)
    return render_template(
        "users/index.html",
        users=result.items,
        # Whether a user may be edited depends on the user's role alone (rules.can_edit_user):
        # asked once for each role rather than once for each row.
        editable_roles={r for r in Role if rules.can_edit_user(current_user, User(role=r))},
        edit_url=url_pattern("users.edit", "user_id"),
        roles=labels_of(Role),
        filters=filters,
        page=result.page,
        has_next=result.has_next,
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = NewUserForm(current_user)
    if form.validate_on_submit():
        session = get_session()
        data = service_users.NewUser(
            name=form.name.data,
            email=form.email.data,
            role=form.role.data,
            organization_id=form.organization_id.data,
            mobile=form.mobile.data,
            password=form.password.data if form.password_mode.data == "initial" else None,
        )
        try:
            user, message = service_users.create_user(session, current_user, data)
        except service_users.UserInvalid as err:
            form.show_problems(err.problems)
        else:
            session.commit()
            if message is None:
                flash(_("The account of %(email)s is created.", email=user.email), "success")
            else:
                flash(
                    _(
                        "The account of %(email)s is created; a link to choose a password "
                        "was sent.",
                        email=user.email,
                    ),
                    "success",
                )
            return redirect(url_for("users.index"))
    return render_template("users/new.html", form=form)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    session = get_session()
    target = get_or_404(User, user_id)
    if not rules.can_edit_user(current_user, target):
        abort(403)
    form = EditUserForm(current_user, target)
    if form.validate_on_submit():
        change = service_users.UserChange(
            name=form.name.data,
            role=form.role.data,
            organization_id=form.organization_id.data,
            active=form.active.data,
            mobile=form.mobile.data,
        )
        try:
            service_users.update_user(session, current_user, target, change)
        except service_users.UserInvalid as err:
            form.show_problems(err.problems)
        else:
            session.commit()
            flash(_("The account of %(email)s is saved.", email=target.email), "success")
            return redirect(url_for("users.edit", user_id=target.id))
    return render_template("users/edit.html", form=form, target=target)


@bp.route("/<int:user_id>/setup-link", methods=["POST"])
def send_setup_link(user_id: int):
    """Mail the user a fresh link to choose a password (e.g. when the first one expired)."""
    session = get_session()
    target = get_or_404(User, user_id)
    if not rules.can_edit_user(current_user, target):
        abort(403)
    if not target.active:
        flash(_("This account is deactivated; activate it first."), "error")
    else:
        service_users.resend_setup_link(session, current_user, target)
        session.commit()
        flash(_("A link to choose a password was sent to %(email)s.", email=target.email), "info")
    return redirect(url_for("users.edit", user_id=target.id))
