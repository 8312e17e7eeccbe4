"""Who may do what with eligibility and integrity, and the application conditions that read
only the packet's own figures (pure: no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from portal.applications import rules as application_rules
from portal.applications.models import Application
from portal.campaigns.models import CategoryKind
from portal.checks import age_on
from portal.eligibility.models import EligibilityRules
from portal.roles import Role, has_role

# --- permissions ---------------------------------------------------------------------------


def can_edit_rules(user) -> bool:
    """The programme office sets each campaign's application conditions."""
    return has_role(user, Role.OFFICE)


def can_sign_declaration(user, app: Application) -> bool:
    """The packet's own unit signs while it may still change the packet."""
    return application_rules.can_edit_application(user, app)


def can_contest_declaration(user) -> bool:
    """Those who review a packet may contest the unit's declaration (the view checks they see
    the packet)."""
    return has_role(user, Role.OFFICE, Role.CHANNEL_REVIEWER)


def can_see_checks(user) -> bool:
    """Reviewers see the evaluation, bars and double nominations beside a packet."""
    return has_role(user, Role.OFFICE, Role.CHANNEL_REVIEWER, Role.EXPERT, Role.ORGANIZER)


def can_record_finding(user) -> bool:
    return has_role(user, Role.OFFICE)


def can_see_integrity(user) -> bool:
    """The campaign's findings, bars and double nominations, all at once: the office."""
    return has_role(user, Role.OFFICE)


# --- the conditions read from the packet ----------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One application condition judged on a packet: passed, failed, or not yet judged (None:
    the packet does not give the figure yet), with what the packet shows and what is asked."""

    code: str
    label: object
    passed: bool | None
    shows: object
    asks: object

    @property
    def failed(self) -> bool:
        return self.passed is False

    @property
    def message(self) -> object:
        """The line of the missing-items list for a failed condition."""
        return _l(
            "Application condition not met: %(label)s (%(shows)s; required: %(asks)s).",
            label=self.label,
            shows=self.shows,
            asks=self.asks,
        )


def whole_years(start: date, reference: date) -> int:
    """Whole years from start to the reference date (negative when start is later)."""
    if start > reference:
        return -age_on(reference, start)
    return age_on(start, reference)


def founded_check(app: Application, rules: EligibilityRules, reference: date) -> Check | None:
    minimum = rules.founded_min_years
    if minimum is None:
        return None
    asks = _l("founded at least %(n)s years before %(day)s", n=minimum, day=reference.isoformat())
    label = _l("Team founded long enough")
    if app.team_founded_on is None:
        return Check("founded", label, None, _l("founding date not given yet"), asks)
    years = whole_years(app.team_founded_on, reference)
    shows = _l(
        "founded on %(day)s, %(n)s full years before", day=app.team_founded_on.isoformat(), n=years
    )
    return Check("founded", label, years >= minimum, shows, asks)


def members_check(app: Application, rules: EligibilityRules) -> Check | None:
    low, high = rules.team_min_members, rules.team_max_members
    if low is None and high is None:
        return None
    if low is not None and high is not None:
        asks = _l("%(low)s to %(high)s members", low=low, high=high)
    elif low is not None:
        asks = _l("at least %(n)s members", n=low)
    else:
        asks = _l("at most %(n)s members", n=high)
    count = len(app.members)
    label = _l("Team size")
    if count == 0:
        return Check("members", label, None, _l("no members listed yet"), asks)
    passed = (low is None or count >= low) and (high is None or count <= high)
    return Check("members", label, passed, _l("%(n)s members listed", n=count), asks)


def post_check(app: Application, rules: EligibilityRules, reference: date) -> Check | None:
    minimum = rules.post_min_years
    if minimum is None:
        return None
    asks = _l(
        "at least %(n)s years in the current post on %(day)s", n=minimum, day=reference.isoformat()
    )
    label = _l("Years in the current post")
    if app.post_start_date is None:
        return Check("post", label, None, _l("date of taking the post not given yet"), asks)
    years = whole_years(app.post_start_date, reference)
    shows = _l(
        "in the post since %(day)s, %(n)s full years", day=app.post_start_date.isoformat(), n=years
    )
    return Check("post", label, years >= minimum, shows, asks)


def packet_checks(app: Application, rules: EligibilityRules) -> list[Check]:
    """The conditions judged from the packet's own figures, those in force only."""
    reference = app.campaign.reference_date
    if app.kind is CategoryKind.TEAM:
        found = [founded_check(app, rules, reference), members_check(app, rules)]
    else:
        found = [post_check(app, rules, reference)]
    return [c for c in found if c is not None]
