"""Campaign queries and settings (dates, limits, districts, channels): create, edit, copy to a new
year; all audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal import audit, signals
from portal.campaigns import defaults
from portal.campaigns.models import (
    AggregationMethod,
    Campaign,
    CampaignCategory,
    CampaignStatus,
    ReviewStage,
    RubricItem,
)
from portal.clock import SHANGHAI
from portal.errors import Invalid
from portal.organizations.models import District, Industry, Organization, OrgKind

FILE_TYPES = ("pdf", "jpeg", "png", "docx", "xlsx")


class CampaignInvalid(Invalid):
    """The data break one or more rules; problems maps a field name to a clear message."""


def current_campaign(session: Session) -> Campaign | None:
    """The open campaign, or else the latest one that is not a draft."""
    open_one = session.scalar(
        sa.select(Campaign)
        .where(Campaign.status == CampaignStatus.OPEN)
        .order_by(Campaign.year.desc())
    )
    if open_one is not None:
        return open_one
    return session.scalar(
        sa.select(Campaign)
        .where(Campaign.status != CampaignStatus.DRAFT)
        .order_by(Campaign.year.desc())
    )


def list_campaigns(session: Session) -> list[Campaign]:
    return list(session.scalars(sa.select(Campaign).order_by(Campaign.year.desc())))


def beijing_today() -> date:
    return datetime.now(SHANGHAI).date()


def beijing(year: int, month: int, day: int, hour: int = 17, minute: int = 0) -> datetime:
    """A Beijing wall-clock time as an aware UTC instant."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def _shift_date(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February into a year that has none
        return d.replace(year=d.year + years, day=28)


def shift_years(instant: datetime, years: int) -> datetime:
    """The same Beijing wall-clock time `years` later (29 Feb becomes 28 Feb)."""
    local = instant.astimezone(SHANGHAI)
    day = _shift_date(local.date(), years)
    return datetime.combine(day, local.time(), tzinfo=SHANGHAI).astimezone(UTC)


# --- settings ---------------------------------------------------------------------------------

# The programme keeps its selection records at least two years (shared/domain/programme.md).
MIN_KEPT_YEARS = 2
MAX_KEPT_YEARS = 30


@dataclass
class CampaignSettings:
    """What the office sets for a campaign besides its categories, chain and rubric."""

    year: int
    theme: str
    application_deadline: datetime
    recommendation_deadline: datetime
    review_deadline: datetime
    reference_date: date
    notice_working_days: int = 5
    allowed_file_types: list[str] = field(default_factory=lambda: list(FILE_TYPES))
    max_file_mb: int = 20
    max_packet_mb: int = 100
    max_files: int = 20
    experts_per_packet: int = 5
    reserves_per_packet: int = 1
    score_spread_threshold: Decimal = Decimal("20")
    max_bonus: Decimal | None = Decimal("50")
    aggregation_method: str = "trimmed_mean"
    district_ids: list[int] = field(default_factory=list)
    industry_ids: list[int] = field(default_factory=list)
    channel_ids: list[int] = field(default_factory=list)
    target_women_share: Decimal | None = None
    target_young_share: Decimal | None = None
    records_kept_years: int = 2
    honour_records_kept_years: int = 2

    @classmethod
    def of(cls, c: Campaign) -> CampaignSettings:
        return cls(
            year=c.year,
            theme=c.theme,
            application_deadline=c.application_deadline,
            recommendation_deadline=c.recommendation_deadline,
            review_deadline=c.review_deadline,
            reference_date=c.reference_date,
            notice_working_days=c.notice_working_days,
            allowed_file_types=list(c.allowed_file_types),
            max_file_mb=c.max_file_mb,
            max_packet_mb=c.max_packet_mb,
            max_files=c.max_files,
            experts_per_packet=c.experts_per_packet,
            reserves_per_packet=c.reserves_per_packet,
            score_spread_threshold=c.score_spread_threshold,
            max_bonus=c.max_bonus,
            aggregation_method=c.aggregation_method.value,
            district_ids=[d.id for d in c.districts],
            industry_ids=[i.id for i in c.industries],
            channel_ids=[o.id for o in c.channels],
            target_women_share=c.target_women_share,
            target_young_share=c.target_young_share,
            records_kept_years=c.records_kept_years,
            honour_records_kept_years=c.honour_records_kept_years,
        )


def channel_organizations(session: Session) -> list[Organization]:
    return list(
        session.scalars(
            sa.select(Organization)
            .where(Organization.kind == OrgKind.CHANNEL, Organization.active.is_(True))
            .order_by(Organization.name)
        )
    )


def default_settings(session: Session, year: int) -> CampaignSettings:
    """The programme's usual calendar (Nov 10/15/25, 17:00 Beijing), every district, industry
    and active channel organization."""
    return CampaignSettings(
        year=year,
        theme=defaults.THEME,
        application_deadline=beijing(year, 11, 10),
        recommendation_deadline=beijing(year, 11, 15),
        review_deadline=beijing(year, 11, 25),
        reference_date=date(year, 11, 10),
        district_ids=list(session.scalars(sa.select(District.id).order_by(District.position))),
        industry_ids=list(session.scalars(sa.select(Industry.id).order_by(Industry.position))),
        channel_ids=[o.id for o in channel_organizations(session)],
    )


def _year_taken(session: Session, year: int, existing: Campaign | None) -> bool:
    query = sa.select(Campaign.id).where(Campaign.year == year)
    if existing is not None:
        query = query.where(Campaign.id != existing.id)
    return session.scalar(query.limit(1)) is not None


def settings_problems(
    session: Session, s: CampaignSettings, existing: Campaign | None = None
) -> dict[str, object]:
    """Every problem with the settings at once, keyed by field."""
    p: dict[str, object] = {}
    if not 2000 <= s.year <= 2100:
        p["year"] = _l("The year must be between 2000 and 2100.")
    elif _year_taken(session, s.year, existing):
        p["year"] = _l("There is already a campaign for %(year)s.", year=s.year)
    if not s.theme.strip():
        p["theme"] = _l("Enter the campaign's theme.")
    elif len(s.theme.strip()) > 200:
        p["theme"] = _l("The theme is longer than 200 characters.")
    if s.recommendation_deadline < s.application_deadline:
        p["recommendation_deadline"] = _l(
            "The recommendation deadline must not be before the application deadline."
        )
    if s.review_deadline < s.recommendation_deadline:
        p["review_deadline"] = _l(
            "The review deadline must not be before the recommendation deadline."
        )
    if s.notice_working_days < 1:
        p["notice_working_days"] = _l("The public notice lasts at least one working day.")
    if not s.allowed_file_types:
        p["allowed_file_types"] = _l("Allow at least one file type.")
    elif set(s.allowed_file_types) - set(FILE_TYPES):
        p["allowed_file_types"] = _l("Only PDF, JPEG, PNG, DOCX and XLSX files can be allowed.")
    if s.max_file_mb < 1:
        p["max_file_mb"] = _l("A file may be at least 1 MB.")
    elif s.max_packet_mb < s.max_file_mb:
        p["max_packet_mb"] = _l(
            "The packet limit (%(packet)s MB) must be at least the single-file limit "
            "(%(file)s MB).",
            packet=s.max_packet_mb,
            file=s.max_file_mb,
        )
    if s.max_files < 1:
        p["max_files"] = _l("Allow at least one file per application.")
    if s.experts_per_packet < 1:
        p["experts_per_packet"] = _l("At least one expert scores each packet.")
    if s.reserves_per_packet < 0:
        p["reserves_per_packet"] = _l("The number of reserve experts cannot be negative.")
    if s.score_spread_threshold < 0:  # a blank field is read as the default, 20
        p["score_spread_threshold"] = _l("The score spread threshold cannot be negative.")
    if s.max_bonus is not None and s.max_bonus < 0:
        p["max_bonus"] = _l("The most bonus points of a sheet cannot be negative.")
    for name in ("target_women_share", "target_young_share"):
        value = getattr(s, name)
        if value is not None and not 0 <= value <= 100:
            p[name] = _l("A target share is a percentage between 0 and 100.")
    for name in ("records_kept_years", "honour_records_kept_years"):
        if not MIN_KEPT_YEARS <= getattr(s, name) <= MAX_KEPT_YEARS:
            p[name] = _l(
                "Records are kept between %(low)s and %(high)s years.",
                low=MIN_KEPT_YEARS,
                high=MAX_KEPT_YEARS,
            )
    if not s.district_ids:
        p["district_ids"] = _l("Choose at least one district.")
    if not s.industry_ids:
        p["industry_ids"] = _l("Choose at least one industry.")
    return p


def _apply_settings(session: Session, c: Campaign, s: CampaignSettings) -> None:
    c.year = s.year
    c.theme = s.theme.strip()
    c.application_deadline = s.application_deadline
    c.recommendation_deadline = s.recommendation_deadline
    c.review_deadline = s.review_deadline
    c.reference_date = s.reference_date
    c.notice_working_days = s.notice_working_days
    c.allowed_file_types = [t for t in FILE_TYPES if t in s.allowed_file_types]
    c.max_file_mb = s.max_file_mb
    c.max_packet_mb = s.max_packet_mb
    c.max_files = s.max_files
    c.experts_per_packet = s.experts_per_packet
    c.reserves_per_packet = s.reserves_per_packet
    c.score_spread_threshold = s.score_spread_threshold
    c.max_bonus = s.max_bonus
    c.aggregation_method = AggregationMethod(s.aggregation_method)
    c.target_women_share = s.target_women_share
    c.target_young_share = s.target_young_share
    c.records_kept_years = s.records_kept_years
    c.honour_records_kept_years = s.honour_records_kept_years
    c.districts = _by_ids(session, District, s.district_ids)
    c.industries = _by_ids(session, Industry, s.industry_ids)
    channels = _by_ids(session, Organization, s.channel_ids)
    c.channels = [o for o in channels if o.kind is OrgKind.CHANNEL]


def _by_ids(session: Session, model, ids: list[int]) -> list:
    if not ids:
        return []
    return list(session.scalars(sa.select(model).where(model.id.in_(ids))))


def campaign_snapshot(c: Campaign) -> dict:
    """The whole configuration of a campaign as JSON-safe data, for the audit trail."""
    snap = audit.snapshot(c)
    snap["district_ids"] = sorted(d.id for d in c.districts)
    snap["industry_ids"] = sorted(i.id for i in c.industries)
    snap["channel_ids"] = sorted(o.id for o in c.channels)
    snap.update(children_snapshot(c, "categories"))
    snap.update(children_snapshot(c, "stages"))
    snap.update(children_snapshot(c, "rubric"))
    return snap


def children_snapshot(c: Campaign, name: str) -> dict:
    return {name: [audit.snapshot(row, exclude=("campaign_id",)) for row in getattr(c, name)]}


def create_campaign(session: Session, actor, s: CampaignSettings) -> Campaign:
    """A new draft campaign with the programme's default categories, review chain and rubric."""
    problems = settings_problems(session, s)
    if problems:
        raise CampaignInvalid(problems)
    c = Campaign(status=CampaignStatus.DRAFT)
    _apply_settings(session, c, s)
    c.categories = defaults.default_categories()
    c.stages = defaults.default_stages()
    c.rubric = defaults.default_rubric()
    session.add(c)
    session.flush()
    signals.campaign_created.send(c, session=session, source=None)
    audit.record(session, actor=actor, action="campaign.create", obj=c, after=campaign_snapshot(c))
    return c


def update_settings(session: Session, actor, c: Campaign, s: CampaignSettings) -> Campaign:
    problems = settings_problems(session, s, existing=c)
    if problems:
        raise CampaignInvalid(problems)
    before = campaign_snapshot(c)
    _apply_settings(session, c, s)
    session.flush()
    after = campaign_snapshot(c)
    if after != before:
        audit.record(
            session,
            actor=actor,
            action="campaign.update_settings",
            obj=c,
            before=before,
            after=after,
        )
    return c


# --- copy to a new year -----------------------------------------------------------------------


def _copy_rows(rows: list, model, exclude=("id", "campaign_id")) -> list:
    columns = [a.key for a in sa.inspect(model).column_attrs if a.key not in exclude]
    return [model(**{k: getattr(row, k) for k in columns}) for row in rows]


def copy_campaign(session: Session, actor, source: Campaign, year: int) -> Campaign:
    """A draft for `year` with everything of `source`, deadlines and reference date shifted."""
    if not 2000 <= year <= 2100:
        raise CampaignInvalid({"year": _l("The year must be between 2000 and 2100.")})
    if _year_taken(session, year, None):
        raise CampaignInvalid({"year": _l("There is already a campaign for %(year)s.", year=year)})
    shift = year - source.year
    c = Campaign(
        year=year,
        theme=source.theme,
        status=CampaignStatus.DRAFT,
        application_deadline=shift_years(source.application_deadline, shift),
        recommendation_deadline=shift_years(source.recommendation_deadline, shift),
        review_deadline=shift_years(source.review_deadline, shift),
        reference_date=_shift_date(source.reference_date, shift),
        notice_working_days=source.notice_working_days,
        allowed_file_types=list(source.allowed_file_types),
        max_file_mb=source.max_file_mb,
        max_packet_mb=source.max_packet_mb,
        max_files=source.max_files,
        experts_per_packet=source.experts_per_packet,
        reserves_per_packet=source.reserves_per_packet,
        score_spread_threshold=source.score_spread_threshold,
        max_bonus=source.max_bonus,
        aggregation_method=source.aggregation_method,
        target_women_share=source.target_women_share,
        target_young_share=source.target_young_share,
        records_kept_years=source.records_kept_years,
        honour_records_kept_years=source.honour_records_kept_years,
        copied_from_id=source.id,
        districts=list(source.districts),
        industries=list(source.industries),
        channels=list(source.channels),
        categories=_copy_rows(source.categories, CampaignCategory),
        stages=_copy_rows(source.stages, ReviewStage),
        rubric=_copy_rows(source.rubric, RubricItem),
    )
    session.add(c)
    session.flush()
    signals.campaign_created.send(c, session=session, source=source)
    audit.record(session, actor=actor, action="campaign.copy", obj=c, after=campaign_snapshot(c))
    return c
