"""Balance figures (结构平衡) over a set of packets: women, age, district, industry, kind, system.

Pure functions: they read attributes of the packets they are given and never query. Callers
load the packets with their category, district and industry (see the recommendation service),
or count them in groups in the database (Group; portal.recommendations.dashboard).

- Share of women counts people: an individual is one person (`female`), a team brings its
  `member_count` people of whom `women_count` are women. Packets without the figure are left out
  of the share and counted in `women_unknown`.
- Age bands count packets: an individual by `age`, a team by `average_age`. The bands are
  "up to 35" (≤ 35), "36–45" (> 35 and ≤ 45), "46–55" (> 45 and ≤ 55) and "over 55"; a team of
  average age 35.5 is in "36–45". The young share is the share of packets with a known age
  that fall in "up to 35".
- Shares are percentages rounded half up to one decimal, or None when nothing was counted.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from portal import labels
from portal.campaigns.models import CategoryKind


class AgeBand(enum.StrEnum):
    # Values carry an 'age_' prefix: enum labels are keyed by value-equal members.
    UP_TO_35 = "age_up_to_35"
    FROM_36_TO_45 = "age_36_45"
    FROM_46_TO_55 = "age_46_55"
    OVER_55 = "age_over_55"
    UNKNOWN = "age_unknown"


labels.declare(
    AgeBand,
    {
        AgeBand.UP_TO_35: _l("35 or under"),
        AgeBand.FROM_36_TO_45: _l("36 to 45"),
        AgeBand.FROM_46_TO_55: _l("46 to 55"),
        AgeBand.OVER_55: _l("Over 55"),
        AgeBand.UNKNOWN: _l("Age not given"),
    },
)


# Upper bounds (inclusive) of the bands in order; anything above the last is over 55.
_BAND_LIMITS = ((35, AgeBand.UP_TO_35), (45, AgeBand.FROM_36_TO_45), (55, AgeBand.FROM_46_TO_55))


def percent(part: int, whole: int) -> Decimal | None:
    """part/whole as a percentage rounded half up to one decimal; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def age_band(age) -> AgeBand:
    """The band of an age in years (an int, or a team's Decimal average); UNKNOWN for None."""
    if age is None:
        return AgeBand.UNKNOWN
    value = Decimal(str(age))
    for limit, band in _BAND_LIMITS:
        if value <= limit:
            return band
    return AgeBand.OVER_55


def packet_age(application) -> object | None:
    """The age the packet is banded by: an individual's age, a team's average age."""
    if application.category.kind is CategoryKind.TEAM:
        return application.average_age
    return application.age


@dataclass(frozen=True)
class Count:
    """How many packets share one value (a district, an industry, a kind, a system)."""

    item: object  # a District, an Industry, a CategoryKind, a system key, or None (not given)
    count: int
    share: Decimal | None  # percent of all packets


@dataclass(frozen=True)
class BalanceFigures:
    """The balance of a set of packets, as the recommending organizations must mind it."""

    total: int = 0
    teams: int = 0
    individuals: int = 0
    # Share of women, counted in people
    people: int = 0
    women: int = 0
    women_share: Decimal | None = None
    individual_women: int = 0
    team_members: int = 0
    team_women: int = 0
    women_unknown: int = 0  # packets without the figure
    # Age bands, counted in packets
    age_bands: dict[AgeBand, int] = field(default_factory=dict)
    young_share: Decimal | None = None
    by_district: tuple[Count, ...] = ()
    by_industry: tuple[Count, ...] = ()
    by_kind: tuple[Count, ...] = ()
    by_system: tuple[Count, ...] = ()

    def age_band_share(self, band: AgeBand) -> Decimal | None:
        return percent(self.age_bands.get(band, 0), self.total)


@dataclass(frozen=True)
class Group:
    """Packets alike in what the figures sort them by (kind, district, industry, system, age
    band), with what the share of women adds up: one packet (group_of), or a row of a
    GROUP BY that counted them in the database (portal.recommendations.dashboard)."""

    kind: CategoryKind
    district: object  # a District, or None
    industry: object  # an Industry, or None
    system: object  # the recommending channel's system, or None
    band: AgeBand
    count: int = 1
    team_members: int = 0  # of teams with both figures
    team_women: int = 0
    individuals_known: int = 0  # individuals whose sex is known
    individual_women: int = 0
    women_unknown: int = 0  # packets without the figure


def group_of(app, system=None) -> Group:
    """One packet as a group of one (its category, district and industry loaded)."""
    kind = app.category.kind
    group = Group(kind, app.district, app.industry, system, age_band(packet_age(app)))
    if kind is CategoryKind.TEAM:
        if app.member_count and app.women_count is not None:
            return replace(group, team_members=app.member_count, team_women=app.women_count)
        return replace(group, women_unknown=1)
    if app.female is None:
        return replace(group, women_unknown=1)
    return replace(group, individuals_known=1, individual_women=1 if app.female else 0)


def _counts(tally: dict, total: int) -> tuple[Count, ...]:
    items = sorted(tally, key=lambda item: (item is None, _position(item)))
    return tuple(Count(item, tally[item], percent(tally[item], total)) for item in items)


def _position(item) -> tuple:
    """Enum members in declaration order, reference rows by list position, text by text."""
    if item is None:
        return (0, "")
    if isinstance(item, enum.Enum):
        return (list(type(item)).index(item), "")
    return (getattr(item, "position", 0), str(getattr(item, "code", item)))


def figures_of(groups: Iterable[Group]) -> BalanceFigures:
    """The balance figures of the packets the groups count."""
    total = teams = team_members = team_women = individuals_known = individual_women = 0
    women_unknown = 0
    bands = dict.fromkeys(AgeBand, 0)
    tallies: tuple[dict, dict, dict, dict] = ({}, {}, {}, {})
    for g in groups:
        total += g.count
        teams += g.count if g.kind is CategoryKind.TEAM else 0
        team_members += g.team_members
        team_women += g.team_women
        individuals_known += g.individuals_known
        individual_women += g.individual_women
        women_unknown += g.women_unknown
        bands[g.band] += g.count
        for tally, item in zip(tallies, (g.district, g.industry, g.kind, g.system), strict=True):
            tally[item] = tally.get(item, 0) + g.count
    people = team_members + individuals_known
    women = team_women + individual_women
    by_district, by_industry, by_kind, by_system = (_counts(t, total) for t in tallies)
    return BalanceFigures(
        total=total,
        teams=teams,
        individuals=total - teams,
        people=people,
        women=women,
        women_share=percent(women, people),
        individual_women=individual_women,
        team_members=team_members,
        team_women=team_women,
        women_unknown=women_unknown,
        age_bands=bands,
        young_share=percent(bands[AgeBand.UP_TO_35], total - bands[AgeBand.UNKNOWN]),
        by_district=by_district,
        by_industry=by_industry,
        by_kind=by_kind,
        by_system=by_system,
    )


def balance_figures(
    applications: Iterable, channel_systems: Mapping[int, object] | None = None
) -> BalanceFigures:
    """The balance figures of the packets.

    channel_systems maps a packet id to the system of the channel organization that
    recommended it (e.g. "quality"); packets missing from it count under None.
    """
    systems = channel_systems or {}
    return figures_of(group_of(app, systems.get(app.id)) for app in applications)


@dataclass(frozen=True)
class Shortfall:
    """A target the packets fall short of: which one, the target and what was reached."""

    target: str  # "women_share" or "young_share"
    wanted: Decimal
    reached: Decimal | None


def shortfalls(
    figures: BalanceFigures, women_target: Decimal | None, young_target: Decimal | None
) -> list[Shortfall]:
    """The campaign's targets (percent, None = no target) that the figures do not reach.

    A set without any packet is not warned about: there is nothing to balance yet.
    """
    found: list[Shortfall] = []
    if figures.total == 0:
        return found
    for name, wanted, reached in (
        ("women_share", women_target, figures.women_share),
        ("young_share", young_target, figures.young_share),
    ):
        if wanted is not None and (reached is None or reached < Decimal(wanted)):
            found.append(Shortfall(name, Decimal(wanted), reached))
    return found
