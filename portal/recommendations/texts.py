"""What the recommendation pages write of a packet, in the reader's language, each word
translated once per language: a list of 200 packets would otherwise translate a handful per row."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask_babel import gettext as _

from portal.campaigns.models import CategoryKind
from portal.i18n import current_locale, is_chinese
from portal.percent import percent_text

# The words depend on the language alone: translated once per language for the process.
_WORDS: dict[object, dict[str, str]] = {}


def figure_words() -> dict[str, str]:
    """The words of a packet's key figures, with a hole ('{n}', '{age}', '{rate}') each, and
    the ranking's rank field's name ('{name}'); one dict per language, not to be changed."""
    locale = current_locale()
    words = _WORDS.get(locale)
    if words is None:
        words = _WORDS[locale] = _translated_words()
    return words


def _translated_words() -> dict[str, str]:
    return {
        "members": _("%(n)s members", n="{n}"),
        "average_age": _("average age %(age)s", age="{age}"),
        "women": _("%(n)s women", n="{n}"),
        "woman": _("woman"),
        "man": _("man"),
        "age": _("age %(age)s", age="{age}"),
        "satisfaction": _("satisfaction %(rate)s%%", rate="{rate}"),
        "rank_of": _("Rank of %(name)s", name="{name}"),
    }


def _or_dash(value) -> str:
    return "—" if value is None else str(value)


def key_figures(packet, words: dict[str, str]) -> str:
    """A team's size, average age and women, or a person's sex, age and post; then the
    satisfaction rate. `packet` is a packet or a row with the same attribute names."""
    if packet.kind is CategoryKind.TEAM:
        parts = [
            words["members"].replace("{n}", str(packet.member_count or 0)),
            words["average_age"].replace("{age}", _or_dash(packet.average_age)),
            words["women"].replace("{n}", str(packet.women_count or 0)),
        ]
        if packet.women_share is not None:
            parts[-1] += f" ({percent_text(packet.women_share)})"
    else:
        female = packet.female
        parts = [
            "—" if female is None else words["woman" if female else "man"],
            words["age"].replace("{age}", _or_dash(packet.age)),
        ]
        if packet.post:
            parts.append(packet.post)
    if packet.satisfaction_rate is not None:
        rate = percent_text(packet.satisfaction_rate, sign=False)
        parts.append(words["satisfaction"].replace("{rate}", rate))
    return " · ".join(parts)


class RankingRow(NamedTuple):
    """One row of the ranking page, as text: the page only shows it. A tuple, made for every
    row (a frozen dataclass takes five times as long to make)."""

    id: int
    url: str  # the packet's page
    title: str
    unit: str
    where: str
    figures: str
    rank: str  # the rank typed, else the saved one, '' when not ranked
    rank_label: str  # the rank field's accessible name


def ranking_rows(
    rows, link: Callable[[int], str], typed: dict[int, str] | None = None
) -> list[RankingRow]:
    """The ranking page's rows (portal.recommendations.ranking) written out for the reader,
    each with its `link` (portal.listing.url_pattern), and with the ranks `typed` on the page
    when it is shown again after a refused save."""
    words, zh = figure_words(), is_chinese()
    rank_of = words["rank_of"]
    found = []
    for row in rows:
        title = (row.team_name or row.person_name or "").strip()
        district, industry = (
            (row.district_zh, row.industry_zh) if zh else (row.district_en, row.industry_en)
        )
        where = (district or "") + (f" · {industry}" if industry else "")
        rank = "" if row.rank is None else str(row.rank)
        if typed is not None:
            rank = typed.get(row.id, rank)
        found.append(
            RankingRow(
                row.id,
                link(row.id),
                title,
                row.unit,
                where,
                key_figures(row, words),
                rank,
                rank_of.replace("{name}", title),
            )
        )
    return found
