"""Integrity (诚信): a finding of fabricated or concealed material disqualifies the packet and
bars its unit (by credit code) or person (by ID number) from the next campaign; the same person
nominated twice in one campaign is flagged."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, joinedload

from portal import audit
from portal.applications.models import Application, ApplicationState, TeamMember
from portal.applications.workflow import APPLICATION_WORKFLOW, fire
from portal.campaigns.models import Campaign, CategoryKind
from portal.clock import shanghai_today
from portal.eligibility import rules
from portal.eligibility.errors import EligibilityError
from portal.eligibility.models import FindingSource, IntegrityFinding
from portal.eligibility.rules import Check
from portal.labels import label
from portal.organizations.models import Organization
from portal.refusals import Refusal

# A finding bars from the campaigns of the years after its own, up to this many.
BARRED_CAMPAIGNS = 1

# --- bars -----------------------------------------------------------------------------------


def bars(
    session: Session, year: int, credit_code: str | None = None, id_numbers=()
) -> list[IntegrityFinding]:
    """Findings that bar this credit code or any of these ID numbers in the campaign of `year`."""
    who = []
    if credit_code:
        who.append(IntegrityFinding.barred_credit_code == credit_code)
    if id_numbers:
        who.append(IntegrityFinding.barred_id_number.in_(list(id_numbers)))
    if not who:
        return []
    return list(
        session.scalars(
            sa.select(IntegrityFinding)
            .join(Campaign, Campaign.id == IntegrityFinding.campaign_id)
            .where(sa.or_(*who), Campaign.year < year, IntegrityFinding.barred_through_year >= year)
            .options(joinedload(IntegrityFinding.campaign))
            .order_by(IntegrityFinding.id)
        )
    )


def _describe(finding: IntegrityFinding) -> dict:
    return {
        "year": finding.barred_through_year,
        "found_year": finding.campaign.year,
        "source": label(finding.source),
        "day": finding.found_on.isoformat(),
        "code": finding.barred_credit_code or "",
    }


def unit_bar(session: Session, campaign: Campaign, organization: Organization) -> Refusal | None:
    """Why the unit may not start a packet in this campaign, if it is barred."""
    found = bars(session, campaign.year, credit_code=organization.credit_code)
    return Refusal("eligibility.barred_unit", _describe(found[0])) if found else None


def bar_check(session: Session, app: Application, id_numbers: list[str]) -> Check:
    """The integrity bar: neither the unit nor a person the packet names is barred."""
    found = bars(session, app.campaign.year, app.organization.credit_code, id_numbers)
    label_ = _l("Not barred for fabricated material")
    asks = _l("no finding of fabricated or concealed material in an earlier campaign")
    if not found:
        return Check("bar", label_, True, _l("no bar"), asks)
    finding = found[0]
    shows = _l(
        "%(name)s is barred up to %(year)s (finding of %(day)s, %(found_year)s campaign)",
        name=finding.barred_name,
        **{k: v for k, v in _describe(finding).items() if k in ("year", "day", "found_year")},
    )
    return Check("bar", label_, False, shows, asks)


# --- findings -------------------------------------------------------------------------------


def finding_of(session: Session, app: Application) -> IntegrityFinding | None:
    return session.scalar(
        sa.select(IntegrityFinding).where(IntegrityFinding.application_id == app.id)
    )


def _barred(app: Application) -> tuple[str | None, str | None, str]:
    """Who a finding bars: the person of an individual packet, the unit of a team's."""
    if app.kind is CategoryKind.INDIVIDUAL and app.id_number:
        return None, app.id_number, app.person_name or app.title
    return app.organization.credit_code, None, app.organization.name


def _disqualify(session: Session, actor, app: Application, reason: str, now) -> None:
    """Disqualify the packet where the workflow has the move; an awarded title is revoked by
    the organizers (portal/honours), and a packet already out stays out."""
    if (app.state, ApplicationState.DISQUALIFIED) in APPLICATION_WORKFLOW.transitions:
        fire(session, app, ApplicationState.DISQUALIFIED, actor, reason, now=now)


def record_finding(
    session: Session,
    actor,
    app: Application,
    *,
    source: FindingSource,
    description: str,
    found_on: date | None = None,
    now: datetime | None = None,
) -> IntegrityFinding:
    """Record that the packet's material was fabricated or concealed facts: it is disqualified,
    and its unit or person barred from the next campaign."""
    if not rules.can_record_finding(actor):
        raise EligibilityError("not_allowed")
    description = (description or "").strip()
    if not description:
        raise EligibilityError("reason_required")
    if app.state is ApplicationState.DRAFT:
        raise EligibilityError("draft")
    if finding_of(session, app) is not None:
        raise EligibilityError("already_found")
    today = shanghai_today(now)
    if found_on is not None and found_on > today:
        raise EligibilityError("future_date")
    credit_code, id_number, name = _barred(app)
    if not (credit_code or id_number):
        raise EligibilityError("nobody_to_bar")
    finding = IntegrityFinding(
        application=app,
        campaign_id=app.campaign_id,
        source=source,
        found_on=found_on or today,
        description=description,
        barred_credit_code=credit_code,
        barred_id_number=id_number,
        barred_name=name,
        barred_through_year=app.campaign.year + BARRED_CAMPAIGNS,
        recorded_by_id=actor.id,
    )
    session.add(finding)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="eligibility.record_finding",
        obj=app,
        # Under the key the trail masks: it keeps a person's ID number masked and hashed.
        after={
            **audit.snapshot(finding, exclude=("id", "barred_id_number")),
            "id_number": id_number,
        },
        reason=description,
    )
    _disqualify(session, actor, app, description, now)
    return finding


def campaign_findings(session: Session, campaign: Campaign) -> list[IntegrityFinding]:
    return list(
        session.scalars(
            sa.select(IntegrityFinding)
            .where(IntegrityFinding.campaign_id == campaign.id)
            .options(joinedload(IntegrityFinding.application))
            .order_by(IntegrityFinding.id)
        )
    )


# --- double nominations ---------------------------------------------------------------------


@dataclass(frozen=True)
class Nomination:
    """A packet naming a person: as the individual, or as a team member."""

    application: Application
    as_member: bool


def _named(campaign_id: int, id_numbers=None):
    """(application id, ID number, as member) of the handed-in packets of the campaign."""
    handed_in = sa.and_(
        Application.campaign_id == campaign_id, Application.state != ApplicationState.DRAFT
    )
    person = sa.select(Application.id, Application.id_number, sa.false().label("member")).where(
        handed_in, Application.id_number.is_not(None)
    )
    member = (
        sa.select(TeamMember.application_id, TeamMember.id_number, sa.true().label("member"))
        .join(Application, Application.id == TeamMember.application_id)
        .where(handed_in, TeamMember.id_number.is_not(None))
    )
    if id_numbers is not None:
        person = person.where(Application.id_number.in_(id_numbers))
        member = member.where(TeamMember.id_number.in_(id_numbers))
    return sa.union_all(person, member)


def _group(session: Session, campaign_id: int, id_numbers=None) -> dict[str, list[Nomination]]:
    rows = session.execute(_named(campaign_id, id_numbers)).all()
    apps = {
        a.id: a
        for a in session.scalars(
            sa.select(Application).where(Application.id.in_({r[0] for r in rows}))
        )
    }
    by_person: dict[str, list[Nomination]] = defaultdict(list)
    for app_id, number, as_member in rows:
        if app_id not in {n.application.id for n in by_person[number]}:
            by_person[number].append(Nomination(apps[app_id], bool(as_member)))
    return {
        number: sorted(found, key=lambda n: n.application.id)
        for number, found in sorted(by_person.items())
        if len(found) > 1
    }


def double_nominations(session: Session, campaign: Campaign) -> dict[str, list[Nomination]]:
    """Each person (ID number) named by two or more handed-in packets of the campaign."""
    return _group(session, campaign.id)


def nominated_elsewhere(
    session: Session, app: Application, id_numbers: list[str]
) -> dict[str, list[Nomination]]:
    """The packet's people named by other handed-in packets of its campaign, with those
    packets (the packet itself included when handed in)."""
    if not id_numbers:
        return {}
    return _group(session, app.campaign_id, id_numbers)
