"""Eligibility operations: the campaign's rules (seeded, copied, edited by the office), the
unit's declaration and a reviewer's contest of it, and the evaluation of a packet against the
rules in force."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal import audit
from portal.applications.models import Application
from portal.campaigns.models import Campaign, CampaignCategory, CategoryKind
from portal.db import utcnow
from portal.eligibility import defaults, rules
from portal.eligibility.errors import EligibilityError, RulesInvalid
from portal.eligibility.models import CleanRecordDeclaration, EligibilityRules
from portal.eligibility.rules import Check
from portal.eligibility.service_integrity import bar_check
from portal.honours.models import Honour
from portal.honours.rules import add_years

# --- the campaign's rules -------------------------------------------------------------------


def rules_of(session: Session, category: CampaignCategory) -> EligibilityRules | None:
    """The category's rules; None for a campaign created before rules existed (none in force)."""
    return session.scalar(
        sa.select(EligibilityRules).where(EligibilityRules.category_id == category.id)
    )


def seed_rules(session: Session, campaign: Campaign, source: Campaign | None = None) -> None:
    """The programme's defaults for each category of a new campaign, or, for a copy, the rules
    of the source's category of the same code."""
    session.flush()
    copied = {c.code: rules_of(session, c) for c in source.categories} if source else {}
    for category in campaign.categories:
        if rules_of(session, category) is not None:
            continue
        origin = copied.get(category.code)
        row = (
            defaults.copied_rules(category, origin)
            if origin is not None
            else defaults.default_rules(category)
        )
        session.add(row)
    session.flush()


def _snapshot(rows: list[EligibilityRules]) -> dict:
    return {
        str(r.category_id): audit.snapshot(r, exclude=("id", "category_id", "updated_at"))
        for r in rows
    }


def _problems(kind: CategoryKind, values: dict[str, int | None], prefix: str) -> dict:
    problems: dict[str, object] = {}
    for name in defaults.columns_for(kind):
        value = values.get(name)
        if value is not None and not 0 <= value <= 100:
            problems[f"{prefix}{name}"] = _l("Enter a whole number from 0 to 100.")
    low, high = values.get("team_min_members"), values.get("team_max_members")
    if low is not None and high is not None and high < low:
        problems[f"{prefix}team_max_members"] = _l(
            "The largest team cannot be smaller than the smallest."
        )
    for name in ("team_min_members", "clean_record_years", "title_holder_years"):
        if values.get(name) == 0:
            problems[f"{prefix}{name}"] = _l("Enter at least 1, or leave empty for no rule.")
    return problems


def update_rules(
    session: Session, actor, campaign: Campaign, values: dict[int, dict[str, int | None]]
) -> None:
    """Set the rules of the campaign's categories from {category id: {column: value}}; a value
    of None takes the rule out of force. All or nothing; one audit entry."""
    if not rules.can_edit_rules(actor):
        raise EligibilityError("not_allowed")
    problems: dict[str, object] = {}
    for category in campaign.categories:
        problems.update(_problems(category.kind, values.get(category.id, {}), f"c{category.id}-"))
    if problems:
        raise RulesInvalid(problems)
    seed_rules(session, campaign)
    rows = [rules_of(session, c) for c in campaign.categories]
    before = _snapshot([r for r in rows if r is not None])
    for category, row in zip(campaign.categories, rows, strict=True):
        assert row is not None  # seeded just above
        given = values.get(category.id, {})
        for name in defaults.columns_for(category.kind):
            setattr(row, name, given.get(name))
    session.flush()
    after = _snapshot([r for r in rows if r is not None])
    if after != before:
        audit.record(
            session,
            actor=actor,
            action="eligibility.update_rules",
            obj=campaign,
            before=before,
            after=after,
        )


# --- the unit's declaration ----------------------------------------------------------------


def declaration_of(session: Session, app: Application) -> CleanRecordDeclaration | None:
    return session.scalar(
        sa.select(CleanRecordDeclaration).where(CleanRecordDeclaration.application_id == app.id)
    )


def sign_declaration(
    session: Session, actor, app: Application, now: datetime | None = None
) -> CleanRecordDeclaration:
    """The unit declares no verified serious complaint, incident or violation in the period the
    category's rule names; signing again after a contest replaces the contested declaration."""
    if not rules.can_sign_declaration(actor, app):
        raise EligibilityError("not_editable")
    row_rules = rules_of(session, app.category)
    years = (row_rules.clean_record_years if row_rules else None) or 2
    declaration = declaration_of(session, app)
    if declaration is None:
        declaration = CleanRecordDeclaration(application=app, years=years)
        session.add(declaration)
    declaration.years = years
    declaration.signed_at = now or utcnow()
    declaration.signed_by_id = actor.id
    declaration.contested_at = declaration.contested_by_id = declaration.contest_reason = None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="eligibility.sign_declaration",
        obj=app,
        after={"years": years},
    )
    return declaration


def contest_declaration(
    session: Session, actor, app: Application, reason: str, now: datetime | None = None
) -> CleanRecordDeclaration:
    """A reviewer contests the declaration with a reason: the condition fails until the unit
    signs again (when the packet is returned to it) or the reviewers decide otherwise."""
    if not rules.can_contest_declaration(actor):
        raise EligibilityError("not_allowed")
    reason = (reason or "").strip()
    if not reason:
        raise EligibilityError("reason_required")
    declaration = declaration_of(session, app)
    if declaration is None:
        raise EligibilityError("no_declaration")
    if declaration.contested_at is not None:
        raise EligibilityError("already_contested")
    declaration.contested_at = now or utcnow()
    declaration.contested_by_id = actor.id
    declaration.contest_reason = reason
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="eligibility.contest_declaration",
        obj=app,
        reason=reason,
    )
    return declaration


def declaration_check(session: Session, app: Application, row: EligibilityRules) -> Check | None:
    years = row.clean_record_years
    if years is None:
        return None
    label = _l("No verified serious complaint, incident or violation")
    asks = _l("the unit's signed declaration for the last %(n)s years", n=years)
    declaration = declaration_of(session, app)
    if declaration is None:
        return Check("declaration", label, False, _l("not signed"), asks)
    if declaration.contested_at is not None:
        shows = _l("contested by a reviewer: %(reason)s", reason=declaration.contest_reason)
        return Check("declaration", label, False, shows, asks)
    if declaration.years < years:
        shows = _l("signed for %(n)s years only", n=declaration.years)
        return Check("declaration", label, False, shows, asks)
    return Check("declaration", label, True, _l("signed"), asks)


# --- a current title ------------------------------------------------------------------------


def same_holder(app: Application):
    """Honours held by the packet's holder: an individual by ID number, a team by its unit and
    team name."""
    if app.kind is CategoryKind.INDIVIDUAL:
        if not app.id_number:
            return None
        same = sa.select(Application.id).where(Application.id_number == app.id_number)
        return Honour.application_id.in_(same)
    team_name = (app.team_name or "").strip()
    if not team_name:
        return None
    return sa.and_(Honour.organization_id == app.organization_id, Honour.holder_name == team_name)


def title_check(session: Session, app: Application, row: EligibilityRules) -> Check | None:
    years = row.title_holder_years
    if years is None:
        return None
    label = _l("Not a current holder of the same title")
    asks = _l("no such title awarded in the last %(n)s years", n=years)
    holder = same_holder(app)
    if holder is None:
        return Check("title", label, None, _l("holder not named yet"), asks)
    since = add_years(app.campaign.reference_date, -years)
    held = session.scalars(
        sa.select(Honour)
        .join(CampaignCategory, CampaignCategory.id == Honour.category_id)
        .where(holder, Honour.revoked_at.is_(None), Honour.awarded_on > since)
        .where(Honour.campaign_id != app.campaign_id, CampaignCategory.code == app.category.code)
        .order_by(Honour.awarded_on.desc())
    ).first()
    if held is None:
        return Check("title", label, True, _l("no such title"), asks)
    shows = _l(
        "title awarded on %(day)s, certificate %(number)s",
        day=held.awarded_on.isoformat(),
        number=held.certificate_number,
    )
    return Check("title", label, False, shows, asks)


# --- the evaluation -------------------------------------------------------------------------


def packet_id_numbers(app: Application) -> list[str]:
    """The ID numbers a packet names: the individual's, or its members'."""
    numbers = [app.id_number] if app.id_number else []
    numbers += [m.id_number for m in app.members if m.id_number]
    return sorted(set(numbers))


def evaluate(session: Session, app: Application) -> list[Check]:
    """Every condition in force for the packet, judged from its own data now: the campaign's
    rules of its category, then the integrity bar (always in force)."""
    found: list[Check | None] = []
    row = rules_of(session, app.category)
    if row is not None:
        found += rules.packet_checks(app, row)
        found += [title_check(session, app, row), declaration_check(session, app, row)]
    found.append(bar_check(session, app, packet_id_numbers(app)))
    return [c for c in found if c is not None]


def failing_messages(session: Session, app: Application) -> list[object]:
    """The missing-items lines of the failed conditions."""
    return [c.message for c in evaluate(session, app) if c.failed]
