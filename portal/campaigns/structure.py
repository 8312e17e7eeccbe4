"""A campaign's categories (with their quotas), review chain and scoring rubric: each checked and
edited as a table of rows, every change audited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal import audit
from portal.campaigns.models import (
    Campaign,
    CampaignCategory,
    CategoryKind,
    QuotaRule,
    ReviewStage,
    RubricItem,
    RubricKind,
    StageSystem,
)
from portal.campaigns.service import CampaignInvalid, children_snapshot

RUBRIC_TOTAL = Decimal(100)


CENTS = Decimal("0.01")


CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass
class CategoryRow:
    code: str
    kind: CategoryKind
    name_zh: str
    name_en: str
    quota: int
    narrative_min_chars: int
    narrative_max_chars: int
    min_surveys: int
    id: int | None = None
    channel_quota: int = 10
    summary_max_chars: int = 800
    quota_rule: QuotaRule = QuotaRule.FIXED
    quota_share: Decimal | None = None
    quota_min: int = 1
    quota_max: int | None = None
    quota_steps: list[list[int]] = field(default_factory=list)


@dataclass
class StageRow:
    position: int
    system: StageSystem
    name_zh: str
    name_en: str
    id: int | None = None


@dataclass
class RubricRow:
    code: str
    kind: RubricKind
    name_zh: str
    name_en: str
    points: Decimal
    cap: Decimal | None = None
    description: str = ""
    id: int | None = None


def _names_problem(rows) -> object | None:
    if any(not r.name_zh.strip() or not r.name_en.strip() for r in rows):
        return _l("Every row needs a Chinese and an English name.")
    return None


def _codes_problem(rows) -> object | None:
    codes = [r.code for r in rows]
    bad = [code for code in codes if not CODE_RE.match(code)]
    if bad:
        return _l(
            "Codes are lower-case letters, digits and underscores, starting with a letter: "
            "%(codes)s is not.",
            codes=", ".join(bad),
        )
    dupes = sorted({code for code in codes if codes.count(code) > 1})
    if dupes:
        return _l("Each code may be used once; repeated: %(codes)s.", codes=", ".join(dupes))
    return None


def category_problems(rows: list[CategoryRow]) -> dict[str, object]:
    p: dict[str, object] = {}
    if not rows:
        p["categories"] = _l("A campaign needs at least one category.")
        return p
    if problem := _codes_problem(rows):
        p["code"] = problem
    if problem := _names_problem(rows):
        p["name"] = problem
    for r in rows:
        if min(r.quota, r.channel_quota, r.narrative_min_chars, r.min_surveys) < 0 or (
            r.summary_max_chars < 0
        ):
            p["quota"] = _l("Quotas, character counts and survey counts cannot be negative.")
        if problem := _channel_quota_problem(r):
            p["quota_rule"] = problem
        if r.narrative_max_chars < r.narrative_min_chars:
            p["narrative"] = _l(
                "In category %(code)s the narrative maximum (%(max)s characters) is below the "
                "minimum (%(min)s).",
                code=r.code,
                max=r.narrative_max_chars,
                min=r.narrative_min_chars,
            )
    return p


def _channel_quota_problem(r: CategoryRow) -> object | None:
    """What keeps a category's channel quota rule from computing a quota."""
    if r.quota_share is not None and not (0 < r.quota_share <= 100):
        return _l("A share of packets received is a percentage above 0 and at most 100.")
    if r.quota_min < 0 or (r.quota_max is not None and r.quota_max < r.quota_min):
        return _l(
            "In category %(code)s the most places per channel is below the least.", code=r.code
        )
    if r.quota_rule is QuotaRule.PROPORTIONAL and r.quota_share is None:
        return _l("Category %(code)s gives a share of packets: fill in the share.", code=r.code)
    if r.quota_rule is QuotaRule.STEPPED and not r.quota_steps:
        return _l("Category %(code)s steps by units: fill in the steps.", code=r.code)
    return None


def stage_problems(rows: list[StageRow]) -> dict[str, object]:
    p: dict[str, object] = {}
    if not rows:
        p["stages"] = _l("The review chain needs at least one stage.")
        return p
    if any(r.position < 0 for r in rows):
        p["position"] = _l("Stage positions start at 0.")
    pairs = [(r.position, r.system) for r in rows]
    if len(set(pairs)) != len(pairs):
        p["system"] = _l("The same system appears twice at one position of the chain.")
    if problem := _names_problem(rows):
        p["name"] = problem
    return p


def format_points(value) -> str:
    """A number of points as people write it: 15, 12.5."""
    return f"{Decimal(value).normalize():f}"


def criteria_total(rows) -> Decimal:
    return sum((Decimal(r.points) for r in rows if r.kind is RubricKind.CRITERION), Decimal(0))


def total_message(total: Decimal) -> object:
    return _l(
        "The scoring criteria add up to %(total)s points; they must add up to exactly 100.",
        total=format_points(total),
    )


def rubric_problems(rows: list[RubricRow]) -> dict[str, object]:
    p: dict[str, object] = {}
    if problem := _codes_problem(rows):
        p["code"] = problem
    if problem := _names_problem(rows):
        p["name"] = problem
    if any(r.points <= 0 for r in rows):
        p["points"] = _l("Every item is worth more than 0 points.")
    for r in rows:
        if r.cap is None:
            continue
        if r.kind is RubricKind.CRITERION:
            p["cap"] = _l("A criterion has a maximum, not a cap; caps are for bonus items.")
        elif r.cap < r.points:
            p["cap"] = _l(
                "The cap of %(code)s (%(cap)s) is below its points (%(points)s).",
                code=r.code,
                cap=format_points(r.cap),
                points=format_points(r.points),
            )
    total = criteria_total(rows)
    if total != RUBRIC_TOTAL:
        p["total"] = total_message(total)
    return p


def _sync(session: Session, collection: list, rows: list, model, attrs: tuple[str, ...]) -> None:
    """Make the collection match rows: update by id, delete what is gone, add what is new."""
    by_id = {obj.id: obj for obj in collection}
    kept_ids = {r.id for r in rows if r.id in by_id}
    removed = [o for o in collection if o.id not in kept_ids]
    if in_use := _referenced(session, model, removed):
        names = ", ".join(getattr(o, "code", None) or o.name_zh for o in in_use)
        message = _l(
            "%(names)s cannot be removed: packets, decisions or scores already refer to it.",
            names=names,
        )
        raise CampaignInvalid({"rows": message})
    for obj in removed:
        collection.remove(obj)
    # Deletions first, so a code or position freed by a removed row can be reused at once.
    session.flush()
    for position, row in enumerate(rows):
        obj = by_id.get(row.id) if row.id in kept_ids else None
        if obj is None:
            obj = model()
            collection.append(obj)
        for attr in attrs:
            setattr(obj, attr, getattr(row, attr))
        if "position" not in attrs:
            obj.position = position
    session.flush()


def _referenced(session: Session, model, objs: list) -> list:
    """Those of objs that rows of other tables still point at (packets, decisions, scores)."""
    ids = {o.id for o in objs if o.id is not None}
    used: set[int] = set()
    for table in model.metadata.sorted_tables:
        for fk in table.foreign_keys:
            # By the referenced row's id: a packet's reference to its category's kind, part
            # of the same foreign key, is not a second reference.
            if (
                ids
                and fk.column.table is model.__table__
                and fk.column.primary_key
                and (fk.ondelete is None)
            ):
                query = sa.select(fk.parent).where(fk.parent.in_(ids)).distinct()
                used.update(session.scalars(query))
    return [o for o in objs if o.id in used]


def _refuse_kind_change(session: Session, c: Campaign, rows: list[CategoryRow]) -> None:
    """A category that packets already use keeps its kind: their forms are of that kind."""
    kinds = {r.id: r.kind for r in rows if r.id is not None}
    changed = [cat for cat in c.categories if cat.id in kinds and kinds[cat.id] != cat.kind]
    if in_use := _referenced(session, CampaignCategory, changed):
        message = _l(
            "%(codes)s cannot change between team and individual: packets already use it.",
            codes=", ".join(cat.code for cat in in_use),
        )
        raise CampaignInvalid({"kind": message})


def update_categories(session: Session, actor, c: Campaign, rows: list[CategoryRow]) -> None:
    problems = category_problems(rows)
    if problems:
        raise CampaignInvalid(problems)
    _refuse_kind_change(session, c, rows)
    before = children_snapshot(c, "categories")
    attrs: tuple[str, ...] = ("code", "kind", "name_zh", "name_en", "quota")
    attrs += ("narrative_min_chars", "narrative_max_chars", "summary_max_chars")
    attrs += ("min_surveys", "channel_quota", "quota_rule", "quota_share", "quota_min")
    attrs += ("quota_max", "quota_steps")
    _sync(session, c.categories, rows, CampaignCategory, attrs)
    _record_children(session, actor, c, "categories", before)


def update_stages(session: Session, actor, c: Campaign, rows: list[StageRow]) -> None:
    problems = stage_problems(rows)
    if problems:
        raise CampaignInvalid(problems)
    before = children_snapshot(c, "stages")
    rows = sorted(rows, key=lambda r: r.position)
    _sync(session, c.stages, rows, ReviewStage, ("position", "system", "name_zh", "name_en"))
    _record_children(session, actor, c, "stages", before)


def update_rubric(session: Session, actor, c: Campaign, rows: list[RubricRow]) -> None:
    problems = rubric_problems(rows)
    if problems:
        raise CampaignInvalid(problems)
    for r in rows:
        r.points = Decimal(r.points).quantize(CENTS)
        r.cap = Decimal(r.cap).quantize(CENTS) if r.cap is not None else None
    before = children_snapshot(c, "rubric")
    attrs = ("code", "kind", "name_zh", "name_en", "points", "cap", "description")
    _sync(session, c.rubric, rows, RubricItem, attrs)
    _record_children(session, actor, c, "rubric", before)


def _record_children(session: Session, actor, c: Campaign, name: str, before: dict) -> None:
    after = children_snapshot(c, name)
    if after != before:
        audit.record(
            session,
            actor=actor,
            action=f"campaign.update_{name}",
            obj=c,
            before=before,
            after=after,
        )
