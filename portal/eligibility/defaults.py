"""The programme's default application conditions (forms.md, 申报条件); each is campaign data."""

from __future__ import annotations

from portal.campaigns.models import CampaignCategory, CategoryKind
from portal.eligibility.models import EligibilityRules

# Rule values by the category's kind; a value left out is a rule not in force for that kind.
DEFAULTS: dict[CategoryKind, dict[str, int]] = {
    CategoryKind.TEAM: {
        "founded_min_years": 2,
        "team_min_members": 3,
        "team_max_members": 50,
        "clean_record_years": 2,
        "title_holder_years": 3,
    },
    CategoryKind.INDIVIDUAL: {
        "post_min_years": 3,
        "clean_record_years": 2,
        "title_holder_years": 3,
    },
}
RULE_COLUMNS = (
    "founded_min_years",
    "team_min_members",
    "team_max_members",
    "post_min_years",
    "clean_record_years",
    "title_holder_years",
)
TEAM_ONLY = frozenset({"founded_min_years", "team_min_members", "team_max_members"})
INDIVIDUAL_ONLY = frozenset({"post_min_years"})


def columns_for(kind: CategoryKind) -> tuple[str, ...]:
    """The rule columns that apply to a category of this kind."""
    other = INDIVIDUAL_ONLY if kind is CategoryKind.TEAM else TEAM_ONLY
    return tuple(c for c in RULE_COLUMNS if c not in other)


def default_rules(category: CampaignCategory) -> EligibilityRules:
    return EligibilityRules(category=category, **DEFAULTS.get(category.kind, {}))


def copied_rules(category: CampaignCategory, source: EligibilityRules) -> EligibilityRules:
    return EligibilityRules(
        category=category, **{c: getattr(source, c) for c in columns_for(category.kind)}
    )
