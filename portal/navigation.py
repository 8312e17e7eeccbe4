"""The navigation: the links grouped by the year's stages (申报, 推荐, 专家评审, 公示, 荣誉, 管理).

Each link shows when the predicate the server checks for its page allows the user, asked at
every request, and a group shows when one of its links does. What the allowed links look like
depends on nothing but the language and the address the portal is served under, so their HTML
is built once per process for each language, script root and answers of the predicates:
a page asks the twenty-odd predicates, not also twenty-five url_for and fifty gettext.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from flask import current_app, request, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from portal.accounts import rules as accounts
from portal.applications import rules as applications
from portal.campaigns import rules as campaigns
from portal.honours import rules as honours
from portal.i18n import current_locale
from portal.memo import remember
from portal.notice import rules as notice
from portal.organizations import rules as organizations
from portal.recommendations import rules as recommendations
from portal.reevaluation import rules as reevaluation
from portal.review import rules as review
from portal.scoring import rules as scoring
from portal.scoring.results import rules as results
from portal.similarity import rules as similarity
from portal.statistics import rules as statistics


class Link(NamedTuple):
    allowed: Callable[..., bool] | None  # None: everyone who is logged in
    endpoint: str
    text: LazyString


class Group(NamedTuple):
    key: str  # data-nav-group
    name: LazyString
    links: tuple[Link, ...]


GROUPS = (
    Group(
        "apply",
        _l("Apply"),
        (Link(applications.can_list_applications, "applications.index", _l("My applications")),),
    ),
    Group(
        "recommend",
        _l("Recommend"),
        (
            Link(review.can_use_queue, "review.queue", _l("Review queue")),
            Link(review.can_formal_check, "review.formal_check", _l("Formal check")),
            Link(
                recommendations.can_open_recommendations,
                "recommendations.index",
                _l("Recommendations"),
            ),
            Link(recommendations.can_view_citywide_balance, "balance.citywide", _l("Balance")),
            Link(statistics.can_file_statistics, "statistics.mine", _l("Statistics table")),
            Link(
                statistics.can_aggregate_statistics, "statistics.index", _l("Activity statistics")
            ),
            Link(similarity.can_list_matches, "similarity.index", _l("Recycled narratives")),
        ),
    ),
    Group(
        "review",
        _l("Expert review"),
        (
            Link(scoring.can_score, "scoring.index", _l("My assignments")),
            Link(scoring.can_manage_scoring, "scoring.overview", _l("Expert review")),
            Link(results.can_view_results, "scoring_results.index", _l("Scoring results")),
        ),
    ),
    Group(
        "notice",
        _l("Notice"),
        (
            Link(notice.can_view_approval, "notice.manage_current", _l("Joint approval")),
            Link(notice.can_handle_objections, "notice.objection_list", _l("Objections")),
            Link(None, "notice.index", _l("Public notice")),
        ),
    ),
    Group(
        "honours",
        _l("Titles"),
        (
            Link(honours.can_view_honour_records, "honours.manage", _l("Honours")),
            Link(reevaluation.can_review_any, "reevaluation.index", _l("Re-evaluation")),
            Link(None, "honours.roll", _l("Honour roll")),
        ),
    ),
    Group(
        "manage",
        _l("Manage"),
        (
            Link(campaigns.can_view_campaigns, "campaigns.index", _l("Campaigns")),
            Link(
                organizations.can_manage_organizations,
                "organizations.index",
                _l("Organizations"),
            ),
            Link(accounts.can_manage_users, "users.index", _l("Users")),
            Link(accounts.can_view_audit, "office.audit_log", _l("Audit trail")),
            Link(accounts.can_view_outbox, "office.outbox", _l("Outbox")),
            Link(None, "accounts.api_tokens", _l("API tokens")),
        ),
    ),
)
_LINKS = tuple(link for group in GROUPS for link in group.links)

# (locale, script root, the predicates' answers): the groups' HTML. Bounded by the roles and
# organization kinds there are; the bound is a safeguard. Not keyed by the application: every
# app create_app makes in a process (one in production, one a test) registers the same routes
# and reads the same templates and catalogues, so what the HTML depends on besides the code is
# the language and the script root (the prefix a proxy or mount serves the portal under), and
# both are in the key. The same holds for _FIXED below.
_MAX_BUILT = 1_000
_BUILT: dict[tuple[str, str, tuple[bool, ...]], Markup] = {}


def navigation(user) -> Markup:
    """The navigation's groups for the user of this request, as HTML."""
    answers = tuple(link.allowed is None or bool(link.allowed(user)) for link in _LINKS)
    key = (str(current_locale()), request.script_root, answers)
    html = _BUILT.get(key)
    if html is None:
        html = remember(_BUILT, key, _build(answers), _MAX_BUILT)
    return html


def _build(answers: tuple[bool, ...]) -> Markup:
    shown = iter(answers)
    groups = []
    for group in GROUPS:
        # The words marked safe as the templates' _() marks them: the catalogue's own text.
        links = [(url_for(e), Markup(text)) for allowed, e, text in group.links if next(shown)]
        if links:
            groups.append((group.key, Markup(group.name), links))
    template = current_app.jinja_env.get_template("_nav_items.html")
    return Markup(template.render(groups=groups))


# (script root, endpoint, values): the URL. Bounded by the templates' literal arguments.
_FIXED: dict[tuple, str] = {}


def fixed_url(endpoint: str, **values: Any) -> str:
    """url_for(endpoint, **values) for a link every page has (the style sheet, the scripts,
    the brand, home, log in and out), built once per process and script root: with no
    request data in it, it can only change with the code."""
    key = (request.script_root, endpoint, *sorted(values.items()))
    url = _FIXED.get(key)
    if url is None:
        url = remember(_FIXED, key, url_for(endpoint, **values), _MAX_BUILT)
    return url
