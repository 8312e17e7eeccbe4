"""Campaign management for the programme office; organizers and administrators may read."""

from __future__ import annotations

import enum
from collections.abc import Callable

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from portal.campaigns import quotas, rules, service, structure, workflow
from portal.campaigns.forms import (
    CampaignSettingsForm,
    CategoriesForm,
    CategoryRowForm,
    CopyCampaignForm,
    RubricForm,
    RubricRowForm,
    StageRowForm,
    StagesForm,
    StatusForm,
    options,
    shown_problems,
)
from portal.campaigns.models import Campaign, CampaignStatus
from portal.db import get_or_404, get_session
from portal.i18n import localized_name
from portal.labels import label
from portal.organizations.models import District, Industry
from portal.workflow import TransitionRefused

bp = Blueprint("campaigns", __name__, url_prefix="/office/campaigns")
SPARE_ROWS = 2


@bp.context_processor
def _template_helpers() -> dict:
    return {
        "campaign_rules": rules,
        "campaign_workflow": workflow.CAMPAIGN_WORKFLOW,
        "readiness_problems": workflow.readiness_problems,
        "criteria_total": structure.criteria_total,
        "format_points": structure.format_points,
    }


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)


@bp.route("/")
@login_required
def index():
    _require(rules.can_view_campaigns(current_user))
    return render_template("campaigns/index.html", campaigns=service.list_campaigns(get_session()))


@bp.route("/<int:campaign_id>")
@login_required
def detail(campaign_id: int):
    _require(rules.can_view_campaigns(current_user))
    campaign = get_or_404(Campaign, campaign_id)
    return render_template("campaigns/detail.html", campaign=campaign, status_form=StatusForm())


def _settings_choices(form: CampaignSettingsForm) -> None:
    session = get_session()
    districts = session.scalars(sa.select(District).order_by(District.position))
    industries = session.scalars(sa.select(Industry).order_by(Industry.position))
    form.district_ids.choices = options((d.id, localized_name(d)) for d in districts)
    form.industry_ids.choices = options((i.id, localized_name(i)) for i in industries)
    channels = service.channel_organizations(session)
    form.channel_ids.choices = options((o.id, o.name) for o in channels)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    _require(rules.can_manage_campaigns(current_user))
    session = get_session()
    years = [c.year for c in service.list_campaigns(session)]
    next_year = max(years) + 1 if years else service.beijing_today().year
    form = CampaignSettingsForm(obj=service.default_settings(session, next_year))
    _settings_choices(form)
    if form.validate_on_submit():
        try:
            campaign = service.create_campaign(session, current_user, form.to_settings())
        except service.CampaignInvalid as e:
            form.show_problems(e.problems)
        else:
            session.commit()
            flash(_("The %(year)s campaign was created as a draft.", year=campaign.year), "success")
            return redirect(url_for(".detail", campaign_id=campaign.id))
    return render_template("campaigns/settings.html", form=form, campaign=None)


@bp.route("/<int:campaign_id>/settings", methods=["GET", "POST"])
@login_required
def edit_settings(campaign_id: int):
    _require(rules.can_manage_campaigns(current_user))
    campaign = get_or_404(Campaign, campaign_id)
    _require(rules.can_edit_campaign(current_user, campaign))
    session = get_session()
    form = CampaignSettingsForm(obj=service.CampaignSettings.of(campaign))
    _settings_choices(form)
    if form.validate_on_submit():
        try:
            service.update_settings(session, current_user, campaign, form.to_settings())
        except service.CampaignInvalid as e:
            session.rollback()
            form.show_problems(e.problems)
        else:
            session.commit()
            flash(_("The settings were saved."), "success")
            return redirect(url_for(".detail", campaign_id=campaign.id))
    return render_template("campaigns/settings.html", form=form, campaign=campaign)


def _row_data(rows, row_form) -> list[dict]:
    """What each row's form shows: every column of the row form, so none is left blank."""
    names = [name for name in row_form.columns if name != "remove"]

    def plain(value):
        return value.value if isinstance(value, enum.Enum) else value

    return [{"id": row.id, **{n: plain(getattr(row, n)) for n in names}} for row in rows]


def _category_data(c: Campaign) -> list[dict]:
    rows = _row_data(c.categories, CategoryRowForm)
    for row in rows:
        row["quota_steps"] = quotas.steps_text(row["quota_steps"])
    return rows


def _stage_data(c: Campaign) -> list[dict]:
    return _row_data(c.stages, StageRowForm)


def _rubric_data(c: Campaign) -> list[dict]:
    return _row_data(c.rubric, RubricRowForm)


# Each table: its form, its rows as the form shows them, the service that saves them (rows of
# the form's own row type), and its title.
TABLES: dict[
    str, tuple[type[FlaskForm], Callable[[Campaign], list[dict]], Callable[..., None], LazyString]
] = {
    "categories": (CategoriesForm, _category_data, structure.update_categories, _l("Categories")),
    "stages": (StagesForm, _stage_data, structure.update_stages, _l("Review chain")),
    "rubric": (RubricForm, _rubric_data, structure.update_rubric, _l("Scoring rubric")),
}


def _edit_table(campaign_id: int, table: str):
    """Show or save one of the campaign's tables (categories, review chain, rubric)."""
    _require(rules.can_manage_campaigns(current_user))
    campaign = get_or_404(Campaign, campaign_id)
    _require(rules.can_edit_campaign(current_user, campaign))
    form_cls, to_data, update, title = TABLES[table]
    session = get_session()
    form = form_cls(data={"rows": to_data(campaign)})
    if form.validate_on_submit():
        try:
            update(session, current_user, campaign, form.to_rows())
        except service.CampaignInvalid as e:
            session.rollback()
            form.form_errors.extend(shown_problems(e.problems))
        else:
            session.commit()
            flash(_("%(table)s saved.", table=title), "success")
            return redirect(url_for(".detail", campaign_id=campaign.id))
    if not form.is_submitted() or not form.rows.entries:
        for _i in range(SPARE_ROWS):
            form.rows.append_entry()
    return render_template(
        "campaigns/table.html", form=form, campaign=campaign, table=table, title=title
    )


@bp.route("/<int:campaign_id>/categories", methods=["GET", "POST"])
@login_required
def edit_categories(campaign_id: int):
    return _edit_table(campaign_id, "categories")


@bp.route("/<int:campaign_id>/stages", methods=["GET", "POST"])
@login_required
def edit_stages(campaign_id: int):
    return _edit_table(campaign_id, "stages")


@bp.route("/<int:campaign_id>/rubric", methods=["GET", "POST"])
@login_required
def edit_rubric(campaign_id: int):
    return _edit_table(campaign_id, "rubric")


@bp.route("/<int:campaign_id>/copy", methods=["GET", "POST"])
@login_required
def copy(campaign_id: int):
    _require(rules.can_manage_campaigns(current_user))
    source = get_or_404(Campaign, campaign_id)
    _require(rules.can_copy_campaign(current_user, source))
    session = get_session()
    form = CopyCampaignForm(data={"year": source.year + 1})
    if form.validate_on_submit():
        try:
            campaign = service.copy_campaign(session, current_user, source, form.year.data)
        except service.CampaignInvalid as e:
            form.year.errors = [*form.year.errors, *shown_problems(e.problems)]
        else:
            session.commit()
            flash(
                _(
                    "The %(year)s campaign was copied from %(source)s as a draft.",
                    year=campaign.year,
                    source=source.year,
                ),
                "success",
            )
            return redirect(url_for(".detail", campaign_id=campaign.id))
    return render_template("campaigns/copy.html", form=form, campaign=source)


@bp.route("/<int:campaign_id>/status", methods=["POST"])
@login_required
def change_status(campaign_id: int):
    _require(rules.can_manage_campaigns(current_user))
    campaign = get_or_404(Campaign, campaign_id)
    _require(rules.can_change_campaign_status(current_user, campaign))
    form = StatusForm()
    if not form.validate_on_submit() or form.target.data not in set(CampaignStatus):
        abort(400)
    session = get_session()
    target = CampaignStatus(form.target.data)
    try:
        workflow.change_status(session, current_user, campaign, target, form.reason.data or "")
    except TransitionRefused as e:
        session.rollback()
        flash(str(e), "error")
    else:
        session.commit()
        flash(
            _("The %(year)s campaign is now %(status)s.", year=campaign.year, status=label(target)),
            "success",
        )
    return redirect(url_for(".detail", campaign_id=campaign.id))
