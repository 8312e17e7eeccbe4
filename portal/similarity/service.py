"""Recycled-narrative checks: fingerprint a submitted version, find and confirm matches, and
gather what the flag pages show.

Fingerprints are computed when a version is submitted (submit_application calls
index_version), in the same transaction: the flags then exist when a reviewer first opens the
packet, pages only read, and a check costs a few milliseconds against an archive of any size
(one indexed lookup of band keys; see fingerprint.py). Versions frozen by other means (demo,
imports) are fingerprinted by index_pending, also run by `flask similarity index`.
"""

from __future__ import annotations

import functools
import operator
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from portal import audit
from portal.applications.models import Application, ApplicationVersion
from portal.campaigns.models import Campaign, CampaignCategory
from portal.clock import shanghai_text
from portal.db import utcnow
from portal.organizations.models import Organization
from portal.pagination import Page, counted_page, found_first
from portal.percent import percent_text
from portal.similarity import fingerprint as fp
from portal.similarity.models import NarrativeBand, NarrativeFingerprint, NarrativeMatch

_EMPTY_BIN = -(2**63)
_PACK = struct.Struct(f"<{fp.BINS}q")
# A candidate whose sketches agree on fewer bins than this share is not compared exactly:
# at the flag threshold (containment 0.5, Jaccard 0.33 for narratives of equal length) the
# sketch estimate falls below 0.15 about once in 400, and unrelated narratives (about 0.05)
# rarely reach it.
SKETCH_FLOOR = 0.15


def pack_sketch(bins: list[int | None]) -> bytes:
    return _PACK.pack(*(_EMPTY_BIN if b is None else b for b in bins))


def sketch_agreement(a: bytes, b: bytes) -> float:
    """Share of the bins filled in both packed sketches that hold the same value (estimates
    Jaccard)."""
    x, y = _PACK.unpack(a), _PACK.unpack(b)
    if _EMPTY_BIN not in x and _EMPTY_BIN not in y:  # every bin filled: the usual case
        return sum(map(operator.eq, x, y)) / fp.BINS
    both = [(u, v) for u, v in zip(x, y, strict=True) if _EMPTY_BIN not in (u, v)]
    if not both:
        return 0.0
    return sum(1 for u, v in both if u == v) / len(both)


def narrative_of(version: ApplicationVersion) -> str:
    return (version.snapshot or {}).get("narrative") or ""


# --- indexing -------------------------------------------------------------------------------
# Statements are built once and run on the session's connection: a check is three indexed
# statements (add the fingerprint, add its band keys, find candidates), plus two when a
# candidate is confirmed (read its narrative, add the flags) and the audit entry.

_F, _B, _M = NarrativeFingerprint, NarrativeBand, NarrativeMatch
_INVOLVING = sa.or_(
    _M.application_id == sa.bindparam("app_id"), _M.other_application_id == sa.bindparam("app_id")
)
_RETIRE = (
    sa.update(_F)
    .where(_F.application_id == sa.bindparam("app_id"), _F.current)
    .values(current=False)
)
_ADD = sa.insert(_F)  # the new id: lastrowid on SQLite, RETURNING on PostgreSQL
_ADD_BANDS = sa.insert(_B)
_ADD_FLAGS = sa.insert(_M)
_FLAGS = sa.select(_M.application_id, _M.other_application_id, _M.similarity).where(_INVOLVING)
_DROP_FLAGS = sa.delete(_M).where(_INVOLVING)
# Driven by the index on the band key: its cost follows the number of candidates, not the size
# of the archive. Only ids and the packed sketch come back, never a narrative.
# A candidate row: fingerprint id, application id, version id, campaign id and year, packed
# sketch.
_Candidate = sa.Row[int, int, int, int, int, bytes]
_CANDIDATES = (
    sa.select(
        _F.id,
        _F.application_id,
        _F.version_id,
        Campaign.id.label("campaign_id"),
        Campaign.year,
        _F.sketch,
    )
    .select_from(_B)
    .join(_F, _F.id == _B.fingerprint_id)
    .join(Application, Application.id == _F.application_id)
    .join(Campaign, Campaign.id == Application.campaign_id)
    .where(
        # one parameter per band rather than an expanding list: compiled once, not per call
        _B.key.in_([sa.bindparam(f"k{band}") for band in range(fp.BANDS)]),
        _F.current,
        _F.scheme == fp.SCHEME,
        _F.application_id != sa.bindparam("app_id"),
    )
    .distinct()
)
# The narrative of a likely candidate, read from its frozen version (never copied).
_NARRATIVES = (
    sa.select(_F.id, ApplicationVersion.snapshot["narrative"].as_string())
    .join(ApplicationVersion, ApplicationVersion.id == _F.version_id)
    .where(_F.id.in_(sa.bindparam("ids", expanding=True)))
)
_BANDS_SQL: dict[str, tuple[str, operator.itemgetter | None]] = {}


def _add_bands(conn: sa.Connection, fingerprint_id: int, keys: list[tuple[int, int]]) -> None:
    """Insert the band keys in one executemany of the statement compiled for this database,
    skipping SQLAlchemy's per-row parameter processing (plain integers need none)."""
    compiled = _BANDS_SQL.get(conn.dialect.name)
    if compiled is None:
        statement = _ADD_BANDS.compile(dialect=conn.dialect)
        order = statement.positiontup  # positional parameters (SQLite): their order
        compiled = (statement.string, operator.itemgetter(*order) if order else None)
        _BANDS_SQL[conn.dialect.name] = compiled
    sql, positional = compiled
    rows = [{"key": key, "fingerprint_id": fingerprint_id, "band": band} for band, key in keys]
    conn.exec_driver_sql(sql, list(map(positional, rows)) if positional else rows)


def index_version(
    session: Session, version: ApplicationVersion, *, now: datetime | None = None
) -> list[dict]:
    """Fingerprint the version's narrative, make it its packet's current fingerprint, and
    replace the packet's flags with the pairs found now. Returns the new flags (the rows of
    narrative_match written)."""
    now = now or utcnow()
    app = version.application
    normalized = fp.normalize(narrative_of(version))
    bins = fp.sketch(fp.sampled_values(normalized))
    keys = fp.band_keys(bins)
    sketch = pack_sketch(bins)
    conn = session.connection()
    # Flags involve a packet only once it has a fingerprint: a first check has none to replace.
    had_fingerprint = version.number > 1 and conn.execute(_RETIRE, {"app_id": app.id}).rowcount > 0
    added = conn.execute(
        _ADD,
        {
            "application_id": app.id,
            "version_id": version.id,
            "current": True,
            "scheme": fp.SCHEME,
            "sketch": sketch,
            "computed_at": now,
        },
    ).inserted_primary_key
    if added is None:  # an INSERT always reports its key; a None would be a driver's failure
        raise RuntimeError("the fingerprint's id was not returned")
    fingerprint_id = added[0]
    if keys:
        _add_bands(conn, fingerprint_id, keys)
    before = (
        {
            (b if a == app.id else a): str(sim)
            for a, b, sim in conn.execute(_FLAGS, {"app_id": app.id})
        }
        if had_fingerprint
        else {}
    )
    if before:
        conn.execute(_DROP_FLAGS, {"app_id": app.id})
        for match in session.identity_map.values():
            if isinstance(match, NarrativeMatch) and app.id in (
                match.application_id,
                match.other_application_id,
            ):
                session.expunge(match)
    candidates: Sequence[_Candidate] = []
    if keys:
        values = [k for _b, k in keys]
        values += values[:1] * (fp.BANDS - len(values))  # unfilled bands repeat a key
        params = {f"k{band}": key for band, key in enumerate(values)}
        candidates = conn.execute(_CANDIDATES, {**params, "app_id": app.id}).all()
    flags = _confirm(conn, app, version, normalized, sketch, candidates, now)
    after = {
        (f["other_application_id"] if f["application_id"] == app.id else f["application_id"]): str(
            f["similarity"]
        )
        for f in flags
    }
    if before or after:
        audit.record(
            session,
            actor=None,
            action="similarity.check",
            obj=app,
            before={"matches": before},
            after={"matches": after, "version": version.number},
        )
    return flags


def _confirm(
    conn: sa.Connection,
    app: Application,
    version: ApplicationVersion,
    normalized: str,
    sketch: bytes,
    candidates: Sequence[_Candidate],
    now: datetime,
) -> list[dict[str, Any]]:
    """Compare the likely candidates exactly and add a flag for each pair over the threshold."""
    likely = {
        row.id: row for row in candidates if sketch_agreement(sketch, row.sketch) >= SKETCH_FLOOR
    }
    if not likely:
        return []
    mine = fp.shingle_set(normalized)
    year = app.campaign.year
    flags = []
    for fingerprint_id, other_narrative in conn.execute(_NARRATIVES, {"ids": list(likely)}):
        share, shared = fp.containment(mine, fp.shingle_set(fp.normalize(other_narrative)))
        if share < fp.FLAG_THRESHOLD:
            continue
        other = likely[fingerprint_id]
        pair = [
            (app.id, version.id, app.campaign_id),
            (other.application_id, other.version_id, other.campaign_id),
        ]
        if other.year > year:  # the packet of the later campaign is the one flagged
            pair.reverse()
        flags.append(
            {
                "application_id": pair[0][0],
                "version_id": pair[0][1],
                "other_application_id": pair[1][0],
                "other_version_id": pair[1][1],
                "campaign_id": pair[0][2],
                "other_campaign_id": pair[1][2],
                "similarity": Decimal(f"{share:.3f}"),
                "shared_shingles": shared,
                "computed_at": now,
            }
        )
    if flags:
        conn.execute(_ADD_FLAGS, flags)
    return flags


def index_pending(session: Session) -> int:
    """Fingerprint the latest version of every packet that has none yet (or one of an older
    SCHEME, dropped first with its packet's flags), oldest first."""
    stale = sa.select(_F.id).where(_F.scheme != fp.SCHEME)
    stale_apps = sa.select(_F.application_id).where(_F.scheme != fp.SCHEME)
    session.execute(
        sa.delete(_M).where(
            sa.or_(_M.application_id.in_(stale_apps), _M.other_application_id.in_(stale_apps))
        )
    )
    session.execute(sa.delete(_B).where(_B.fingerprint_id.in_(stale)))
    session.execute(sa.delete(_F).where(_F.scheme != fp.SCHEME))
    latest = (
        sa.select(sa.func.max(ApplicationVersion.id))
        .group_by(ApplicationVersion.application_id)
        .scalar_subquery()
    )
    done = sa.select(NarrativeFingerprint.version_id)
    versions = session.scalars(
        sa.select(ApplicationVersion)
        .where(ApplicationVersion.id.in_(latest), ApplicationVersion.id.not_in(done))
        .order_by(ApplicationVersion.submitted_at, ApplicationVersion.id)
        .options(joinedload(ApplicationVersion.application).joinedload(Application.campaign))
    ).all()
    for version in versions:
        index_version(session, version)
    return len(versions)


# --- reading --------------------------------------------------------------------------------


def _match_query():
    return sa.select(NarrativeMatch).options(
        selectinload(NarrativeMatch.application).options(
            joinedload(Application.organization),
            joinedload(Application.campaign),
            joinedload(Application.category),
        ),
        selectinload(NarrativeMatch.other).options(
            joinedload(Application.organization),
            joinedload(Application.campaign),
            joinedload(Application.category),
        ),
    )


class MatchSide(NamedTuple):
    """What the flag list shows of one packet of a pair."""

    id: int
    title: str
    unit: str
    year: int
    category_zh: str
    category_en: str


class MatchRow(NamedTuple):
    """One flag of the list: the pair's similarity, when it was found, and both packets.
    The list's texts (the share, the time) are properties: attribute reads in the template
    cost less than a filter call per row."""

    id: int
    similarity: Decimal
    computed_at: datetime
    application: MatchSide
    other: MatchSide

    @property
    def application_id(self) -> int:
        return self.application.id

    @property
    def other_application_id(self) -> int:
        return self.other.id

    @property
    def percent_text(self) -> str:
        """The similarity as every share is shown: 58.3%."""
        return percent_text(Decimal(self.similarity) * 100)

    @property
    def found(self) -> str | None:
        """When the pair was found, in Beijing time, as the list shows every time."""
        return shanghai_text(self.computed_at)


def _side(query: Any, app: Any, app_id: Any) -> tuple[Any, tuple[Any, ...]]:
    """The query joined to one packet of the pair, and the columns the list shows of it."""
    unit = sa.orm.aliased(Organization)
    campaign, category = sa.orm.aliased(Campaign), sa.orm.aliased(CampaignCategory)
    query = (
        query.join(app, app.id == app_id)
        .join(unit, unit.id == app.organization_id)
        .join(campaign, campaign.id == app.campaign_id)
        .join(category, category.id == app.category_id)
    )
    title = sa.func.coalesce(app.team_name, app.person_name, "")
    return query, (app.id, title, unit.name, campaign.year, category.name_zh, category.name_en)


def _of_campaign(sqlite: bool) -> sa.ColumnElement[bool]:
    """The flags of a campaign's packets, on either side of the pair, tested on each flag's
    own row (it keeps both packets' campaigns) as the page walks the similarity index.

    On SQLite the campaigns are compared as `column + 0`, which no index answers: SQLite keeps
    no statistics, and would otherwise find every flag of the campaign through the campaign
    indexes and sort them all, rather than stop at a page along the similarity's. PostgreSQL
    is given the columns themselves: it knows from its statistics how many flags a campaign
    has, walks the similarity index when most flags are the campaign's and the campaign
    indexes when few are, but takes `column + 0` for a rare value and sorts every flag."""
    campaign_id: sa.BindParameter[int] = sa.bindparam("campaign_id")
    columns: tuple[Any, Any] = (_M.campaign_id, _M.other_campaign_id)
    if sqlite:
        columns = (_M.campaign_id + 0, _M.other_campaign_id + 0)
    return sa.or_(*(column == campaign_id for column in columns))


_ORDER = (NarrativeMatch.similarity.desc(), NarrativeMatch.id)


@functools.cache
def _match_list_query(by_campaign: bool, backward: bool, sqlite: bool) -> sa.Select[Any]:
    """The flag list's statement, built once for each database (aliasing the tables costs
    more than the query), with its limit and offset as bind parameters, counted from the
    list's end when `backward`.
    It walks ix_narrative_match_similarity, which holds both campaigns of each flag, for the
    page's flags alone, stopping at a page's worth, and joins only those to the packets they
    name: joined before the offset, every flag passed over on the way to a deep page would be
    joined too."""
    page = sa.select(_M.id)
    if by_campaign:
        page = page.where(_of_campaign(sqlite))
    found = found_first(page, _ORDER, backward=backward)
    first, second = sa.orm.aliased(Application), sa.orm.aliased(Application)
    query = (
        sa.select(NarrativeMatch.id, NarrativeMatch.similarity, NarrativeMatch.computed_at)
        .select_from(found)
        .join(NarrativeMatch, NarrativeMatch.id == found.c.id)
    )
    query, first_side = _side(query, first, _M.application_id)
    query, second_side = _side(query, second, _M.other_application_id)
    return query.add_columns(*first_side, *second_side).order_by(*_ORDER)


@functools.cache
def _match_count_query(by_campaign: bool) -> sa.Select[Any]:
    """The flags counted from the campaign indexes alone: those whose flagged packet is of the
    campaign, and those whose other packet is while the flagged one is not. The latter are
    two ranges of ix_narrative_match_other_campaign (the flagged packet's campaign before the
    campaign's id, and after it), so that the flags within the campaign, most of its flags,
    are not passed over a second time."""
    if not by_campaign:
        return sa.select(sa.func.count(NarrativeMatch.id))
    campaign_id: sa.BindParameter[int] = sa.bindparam("campaign_id")
    flagged = sa.select(sa.func.count()).where(_M.campaign_id == campaign_id)
    before, after = (
        sa.select(sa.func.count()).where(_M.other_campaign_id == campaign_id, elsewhere)
        for elsewhere in (_M.campaign_id < campaign_id, _M.campaign_id > campaign_id)
    )
    return sa.select(flagged.scalar_subquery() + before.scalar_subquery() + after.scalar_subquery())


def list_matches(
    session: Session, campaign: Campaign | None = None, page: int = 1, per_page: int = 100
) -> Page[MatchRow]:
    """One page of the flags, highest similarity first; with a campaign, the flags of its
    packets. Only the columns the list shows are read, in two statements (count and page); a
    page nearer the list's end than its start is read from the end."""
    values = {} if campaign is None else {"campaign_id": campaign.id}
    total = session.execute(_match_count_query(campaign is not None), values).scalar_one()
    reading = counted_page(total, page, per_page)
    sqlite = session.get_bind().dialect.name == "sqlite"
    statement = _match_list_query(campaign is not None, reading.backward, sqlite)
    found = session.execute(statement, values | reading.bounds).all()
    return reading.of(
        [MatchRow(r[0], r[1], r[2], MatchSide(*r[3:9]), MatchSide(*r[9:15])) for r in found]
    )


def matches_for(session: Session, application: Application) -> list[NarrativeMatch]:
    """The flags of one packet, on either side of the pair, highest similarity first."""
    return list(
        session.scalars(
            _match_query()
            .where(
                sa.or_(
                    NarrativeMatch.application_id == application.id,
                    NarrativeMatch.other_application_id == application.id,
                )
            )
            .order_by(NarrativeMatch.similarity.desc(), NarrativeMatch.id)
        )
    )


@dataclass(frozen=True)
class Side:
    """One packet of a flagged pair as the viewer may see it."""

    application: Application
    version: ApplicationVersion
    named: bool  # the viewer may see the packet: its unit, its name and its whole narrative
    segments: list[fp.Segment]  # the whole narrative, shared passages marked (named only)
    passages: list[str]  # the shared passages alone, in order
    chars: int


@dataclass(frozen=True)
class Comparison:
    match: NarrativeMatch
    sides: tuple[Side, Side]
    shared_chars: int


def compare(match: NarrativeMatch, may_view) -> Comparison:
    """Both narratives of a flagged pair with their shared passages; `may_view(application)`
    says whether the viewer may see a side in full."""
    texts = (narrative_of(match.version), narrative_of(match.other_version))
    sets = tuple(fp.shingle_set(fp.normalize(t)) for t in texts)
    sides = []
    for index, (app, version) in enumerate(
        ((match.application, match.version), (match.other, match.other_version))
    ):
        text = texts[index]
        spans = fp.shared_spans(text, sets[1 - index])
        named = bool(may_view(app))
        sides.append(
            Side(
                application=app,
                version=version,
                named=named,
                segments=fp.segments(text, spans) if named else [],
                passages=[text[a:b] for a, b in spans],
                chars=len(fp.normalize(text)),
            )
        )
    shared = sum(len(fp.normalize(p)) for p in sides[0].passages)
    return Comparison(match=match, sides=(sides[0], sides[1]), shared_chars=shared)
