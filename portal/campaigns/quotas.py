"""A channel's recommendation quota (推荐名额), computed from its category's rule.

- fixed: the category's channel_quota, the same for every channel;
- proportional: quota_share percent of the packets the channel received in the category,
  **rounded down** to a whole packet (a share is a ceiling: 30% of 14 = 4.2 gives 4, and
  4.9 would give 4 too), then raised to quota_min and capped at quota_max;
- stepped: by the number of units applying through the channel, from a table of
  [from_units, quota] steps: the last step whose from_units the count reaches; below the
  first step, no place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.campaigns.models import CampaignCategory, QuotaRule

_STEP_RE = re.compile(r"^\s*(\d{1,6})\s*[:：]\s*(\d{1,6})\s*$")


def number_text(value: Decimal) -> str:
    """A figure as people write it: 30, 4.2, 12.5."""
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class ChannelQuota:
    """The quota of one channel in one category, with the figures it was computed from."""

    rule: QuotaRule
    value: int
    received: int = 0
    units: int = 0
    share: Decimal | None = None
    raw: Decimal | None = None
    floor: int | None = None
    minimum: int = 0
    maximum: int | None = None
    step: tuple[int, int] | None = None

    def explanation(self) -> str:
        """How the quota was computed, in the user's language."""
        if self.rule is QuotaRule.FIXED:
            return _("fixed quota of %(quota)s per channel", quota=self.value)
        if self.rule is QuotaRule.STEPPED:
            return self._stepped_text()
        return self._proportional_text()

    def _proportional_text(self) -> str:
        assert self.share is not None and self.raw is not None
        text = _(
            "%(share)s%% of %(received)s received = %(raw)s → %(floor)s (rounded down)",
            share=number_text(self.share),
            received=self.received,
            raw=number_text(self.raw),
            floor=self.floor,
        )
        if self.floor is not None and self.value > self.floor:
            return text + _(", raised to the minimum of %(min)s", min=self.minimum)
        if self.floor is not None and self.value < self.floor:
            return text + _(", capped at the maximum of %(max)s", max=self.maximum)
        bounds = _(", at least %(min)s", min=self.minimum)
        if self.maximum is not None:
            bounds += _(", at most %(max)s", max=self.maximum)
        return text + bounds

    def _stepped_text(self) -> str:
        if self.step is None:
            return _(
                "%(units)s units apply through this channel, below the first step: no place",
                units=self.units,
            )
        return _(
            "%(units)s units apply through this channel; from %(from)s units the quota is "
            "%(quota)s",
            units=self.units,
            **{"from": self.step[0]},
            quota=self.value,
        )


def proportional(share: Decimal, received: int, minimum: int, maximum: int | None) -> ChannelQuota:
    raw = share * received / 100
    floor = int(raw.to_integral_value(rounding=ROUND_FLOOR))
    value = max(floor, minimum)
    if maximum is not None:
        value = min(value, maximum)
    return ChannelQuota(
        QuotaRule.PROPORTIONAL,
        value,
        received=received,
        share=share,
        raw=raw,
        floor=floor,
        minimum=minimum,
        maximum=maximum,
    )


def stepped(steps: list[list[int]], units: int) -> ChannelQuota:
    reached = [(u, q) for u, q in sorted(steps) if units >= u]
    step = reached[-1] if reached else None
    value = step[1] if step else 0
    return ChannelQuota(QuotaRule.STEPPED, value, units=units, step=step)


def channel_quota(category: CampaignCategory, received: int, units: int) -> ChannelQuota:
    """The quota of a channel that received `received` packets from `units` units."""
    if category.quota_rule is QuotaRule.PROPORTIONAL and category.quota_share is not None:
        share = Decimal(category.quota_share)
        return proportional(share, received, category.quota_min, category.quota_max)
    if category.quota_rule is QuotaRule.STEPPED:
        return stepped(category.quota_steps or [], units)
    return ChannelQuota(QuotaRule.FIXED, category.channel_quota, received=received, units=units)


# --- the steps as the office types them ------------------------------------------------------


def steps_text(steps: list[list[int]] | None) -> str:
    """Steps as shown in the categories table: "1:1, 5:2, 10:3" (from units: quota)."""
    return ", ".join(f"{u}:{q}" for u, q in sorted(steps or []))


def parse_steps(text: str) -> list[list[int]]:
    """The steps typed as "1:1, 5:2, 10:3"; raises ValueError with the message to show."""
    parts = [p for p in re.split(r"[,，;；\s]+(?=\d)", text.strip()) if p.strip()]
    steps: list[list[int]] = []
    for part in parts:
        match = _STEP_RE.match(part.strip(" ,，;；"))
        if not match:
            raise ValueError(STEPS_FORMAT)
        steps.append([int(match[1]), int(match[2])])
    units = [u for u, _q in steps]
    if len(set(units)) != len(units):
        raise ValueError(STEPS_REPEATED)
    return sorted(steps)


STEPS_FORMAT = _l(
    'Write the steps as "units:quota" pairs separated by commas, e.g. "1:1, 5:2, 10:3": '
    "from 1 unit 1 place, from 5 units 2, from 10 units 3."
)
STEPS_REPEATED = _l("Each number of units may start one step only.")
