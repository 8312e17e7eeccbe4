"""Forms for campaign settings, categories, review chain, rubric, copying and status."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.campaigns import quotas
from portal.campaigns.models import (
    AggregationMethod,
    CategoryKind,
    QuotaRule,
    RubricKind,
    StageSystem,
)
from portal.campaigns.service import (
    FILE_TYPES,
    MAX_KEPT_YEARS,
    MIN_KEPT_YEARS,
    SHANGHAI,
    CampaignSettings,
)
from portal.campaigns.structure import CategoryRow, RubricRow, StageRow
from portal.inputs import WholeNumberField
from portal.labels import label
from portal.limits import NOTE_CHARS

BEIJING_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M")


class BeijingDateTimeField(StringField):
    """A time typed as Beijing wall-clock 'YYYY-MM-DD HH:MM'; its data is an aware UTC instant."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return self.data.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        text = (valuelist[0] or "").strip()
        self.data = None
        if not text:
            return
        for fmt in BEIJING_FORMATS:
            try:
                naive = datetime.strptime(text, fmt)
            except ValueError:
                continue
            self.data = naive.replace(tzinfo=SHANGHAI).astimezone(UTC)
            return
        raise ValueError(
            _l("Enter the time as YYYY-MM-DD HH:MM, Beijing time, for example 2026-11-10 17:00.")
        )


def shown_problems(problems: Mapping[str, object]) -> list[str]:
    """A service's problems as plain text: a lazily translated message is markup to Jinja,
    and one may name what the user typed (a refused code), which the page must escape."""
    return [str(message) for message in problems.values()]


def options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, str(text)) for value, text in pairs]


def enum_options(enum_cls) -> list[SelectChoice]:
    """Choices built per form, so that their labels follow the reader's language."""
    return [SelectChoice(m.value, label(m)) for m in enum_cls]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _deadline(label):
    return BeijingDateTimeField(
        label, validators=[InputRequired()], render_kw={"placeholder": "2026-11-10 17:00"}
    )


def _positive(label, minimum: int = 1):
    return WholeNumberField(label, validators=[InputRequired(), NumberRange(min=minimum)])


def _or(value, default):
    """A left-empty optional number takes the programme's default."""
    return default if value is None else value


class CampaignSettingsForm(FlaskForm):
    """Field names match CampaignSettings, so a settings object fills the form directly."""

    year = WholeNumberField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    theme = StringField(_l("Theme"), validators=[InputRequired(), Length(max=200)])
    application_deadline = _deadline(_l("Applications close (Beijing time)"))
    recommendation_deadline = _deadline(_l("Recommendations close (Beijing time)"))
    review_deadline = _deadline(_l("Expert review closes (Beijing time)"))
    reference_date = DateField(
        _l("Reference date for ages and years in post"), validators=[InputRequired()]
    )
    notice_working_days = _positive(_l("Public notice (working days)"))
    allowed_file_types = MultiCheckboxField(
        _l("Allowed file types"), choices=[SelectChoice(t, t.upper()) for t in FILE_TYPES]
    )
    max_file_mb = _positive(_l("Largest file (MB)"))
    max_packet_mb = _positive(_l("Largest packet (MB)"))
    max_files = _positive(_l("Most files per application"))
    experts_per_packet = WholeNumberField(
        _l("Experts scoring each packet"), validators=[Optional(), NumberRange(min=1)]
    )
    reserves_per_packet = WholeNumberField(
        _l("Reserve experts per packet"), validators=[Optional(), NumberRange(min=0)]
    )
    score_spread_threshold = DecimalField(
        _l("Score spread that flags a packet (points)"),
        places=1,
        validators=[Optional(), NumberRange(min=0)],
    )
    max_bonus = DecimalField(
        _l("Most bonus points one score sheet may give in all (blank: no limit)"),
        places=1,
        validators=[Optional(), NumberRange(min=0)],
    )
    aggregation_method = SelectField(
        _l("How expert totals are combined"), validators=[Optional()], default="trimmed_mean"
    )
    district_ids = MultiCheckboxField(_l("Districts"), coerce=int)
    industry_ids = MultiCheckboxField(_l("Industries"), coerce=int)
    channel_ids = MultiCheckboxField(_l("Channel organizations"), coerce=int)
    target_women_share = DecimalField(
        _l("Target share of women (%)"), places=1, validators=[Optional(), NumberRange(0, 100)]
    )
    target_young_share = DecimalField(
        _l("Target share aged 35 or under (%)"),
        places=1,
        validators=[Optional(), NumberRange(0, 100)],
    )
    records_kept_years = WholeNumberField(
        _l("Selection records kept after the notice (years)"),
        validators=[Optional(), NumberRange(MIN_KEPT_YEARS, MAX_KEPT_YEARS)],
    )
    honour_records_kept_years = WholeNumberField(
        _l("Honour records kept after the title ends (years)"),
        validators=[Optional(), NumberRange(MIN_KEPT_YEARS, MAX_KEPT_YEARS)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.aggregation_method.choices = enum_options(AggregationMethod)

    def to_settings(self) -> CampaignSettings:
        return CampaignSettings(
            year=self.year.data,
            theme=self.theme.data or "",
            application_deadline=self.application_deadline.data,
            recommendation_deadline=self.recommendation_deadline.data,
            review_deadline=self.review_deadline.data,
            reference_date=self.reference_date.data,
            notice_working_days=self.notice_working_days.data,
            allowed_file_types=list(self.allowed_file_types.data or []),
            max_file_mb=self.max_file_mb.data,
            max_packet_mb=self.max_packet_mb.data,
            max_files=self.max_files.data,
            experts_per_packet=_or(self.experts_per_packet.data, 5),
            reserves_per_packet=_or(self.reserves_per_packet.data, 1),
            score_spread_threshold=_or(self.score_spread_threshold.data, Decimal("20")),
            max_bonus=self.max_bonus.data,
            aggregation_method=self.aggregation_method.data or "trimmed_mean",
            district_ids=list(self.district_ids.data or []),
            industry_ids=list(self.industry_ids.data or []),
            channel_ids=list(self.channel_ids.data or []),
            target_women_share=self.target_women_share.data,
            target_young_share=self.target_young_share.data,
            records_kept_years=_or(self.records_kept_years.data, MIN_KEPT_YEARS),
            honour_records_kept_years=_or(self.honour_records_kept_years.data, MIN_KEPT_YEARS),
        )

    def show_problems(self, problems: Mapping[str, object]) -> None:
        """Attach a service's problems to the fields they concern."""
        for name, message in zip(problems, shown_problems(problems), strict=True):
            target = getattr(self, name, None)
            if target is not None:
                target.errors = [*target.errors, message]
            else:
                self.form_errors.append(message)


def _row_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _RowForm(Form):
    id = HiddenField()
    remove = BooleanField(_l("Remove"))
    name_zh = StringField(_l("Chinese name"), validators=[Optional(), Length(max=100)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=100)])

    # The order of the table's columns.
    columns: tuple[str, ...] = ()
    # Fields whose emptiness marks an unused spare row.
    identity_fields: tuple[str, ...] = ("name_zh", "name_en")
    required_numbers: tuple[str, ...] = ()

    def is_blank(self) -> bool:
        return all(not (self[f].data or "").strip() for f in self.identity_fields)

    def missing_numbers(self) -> bool:
        return any(self[f].data is None for f in self.required_numbers)


class CategoryRowForm(_RowForm):
    code = StringField(_l("Code"), validators=[Optional(), Length(max=32)])
    kind = SelectField(_l("Kind"))
    quota = WholeNumberField(_l("Quota"), validators=[Optional()])
    narrative_min_chars = WholeNumberField(_l("Narrative minimum (characters)"), [Optional()])
    narrative_max_chars = WholeNumberField(_l("Narrative maximum (characters)"), [Optional()])
    summary_max_chars = WholeNumberField(_l("Summary of deeds maximum (characters)"), [Optional()])
    min_surveys = WholeNumberField(_l("Minimum customer surveys"), validators=[Optional()])
    channel_quota = WholeNumberField(_l("Quota per recommending channel"), validators=[Optional()])
    quota_rule = SelectField(_l("Channel quota rule"))
    quota_share = DecimalField(
        _l("Share of packets received (%)"), places=2, validators=[Optional()]
    )
    quota_min = WholeNumberField(_l("Least places per channel"), validators=[Optional()])
    quota_max = WholeNumberField(_l("Most places per channel"), validators=[Optional()])
    quota_steps = StringField(
        _l("Steps (units:places)"), validators=[Optional(), Length(max=NOTE_CHARS)]
    )

    identity_fields = ("code", "name_zh", "name_en")
    required_numbers: tuple[str, ...] = ("quota", "narrative_min_chars", "narrative_max_chars")
    required_numbers += ("summary_max_chars", "min_surveys")
    required_numbers += ("channel_quota",)
    quota_columns = ("quota_rule", "quota_share", "quota_min", "quota_max", "quota_steps")
    columns = ("code", "kind", "name_zh", "name_en", *required_numbers, *quota_columns, "remove")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = enum_options(CategoryKind)
        self.quota_rule.choices = enum_options(QuotaRule)

    def validate_quota_steps(self, field) -> None:
        try:
            quotas.parse_steps(field.data or "")
        except ValueError as err:
            raise ValidationError(str(err.args[0])) from err

    def to_row(self) -> CategoryRow:
        return CategoryRow(
            id=_row_id(self.id.data),
            code=(self.code.data or "").strip(),
            kind=CategoryKind(self.kind.data),
            name_zh=(self.name_zh.data or "").strip(),
            name_en=(self.name_en.data or "").strip(),
            quota=self.quota.data,
            narrative_min_chars=self.narrative_min_chars.data,
            narrative_max_chars=self.narrative_max_chars.data,
            summary_max_chars=self.summary_max_chars.data,
            min_surveys=self.min_surveys.data,
            channel_quota=self.channel_quota.data,
            quota_rule=QuotaRule(self.quota_rule.data),
            quota_share=self.quota_share.data,
            quota_min=_or(self.quota_min.data, 0),
            quota_max=self.quota_max.data,
            quota_steps=quotas.parse_steps(self.quota_steps.data or ""),
        )


class StageRowForm(_RowForm):
    position = WholeNumberField(_l("Position"), validators=[Optional()])
    system = SelectField(_l("Acting system"))

    required_numbers = ("position",)
    columns = ("position", "system", "name_zh", "name_en", "remove")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.system.choices = enum_options(StageSystem)

    def to_row(self) -> StageRow:
        return StageRow(
            id=_row_id(self.id.data),
            position=self.position.data,
            system=StageSystem(self.system.data),
            name_zh=(self.name_zh.data or "").strip(),
            name_en=(self.name_en.data or "").strip(),
        )


class RubricRowForm(_RowForm):
    code = StringField(_l("Code"), validators=[Optional(), Length(max=32)])
    kind = SelectField(_l("Kind"))
    points = DecimalField(_l("Points"), places=2, validators=[Optional()])
    cap = DecimalField(_l("Cap"), places=2, validators=[Optional()])
    description = StringField(_l("Description"), validators=[Optional(), Length(max=NOTE_CHARS)])

    identity_fields = ("code", "name_zh", "name_en")
    required_numbers = ("points",)
    columns = ("code", "kind", "name_zh", "name_en", "points", "cap", "description", "remove")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = enum_options(RubricKind)

    def to_row(self) -> RubricRow:
        return RubricRow(
            id=_row_id(self.id.data),
            code=(self.code.data or "").strip(),
            kind=RubricKind(self.kind.data),
            name_zh=(self.name_zh.data or "").strip(),
            name_en=(self.name_en.data or "").strip(),
            points=Decimal(self.points.data),
            cap=Decimal(self.cap.data) if self.cap.data is not None else None,
            description=(self.description.data or "").strip(),
        )


class _TableForm(FlaskForm):
    """A table of rows, with spare blank rows for additions and a remove box on each row."""

    def used_rows(self) -> list:
        return [e.form for e in self.rows if not e.form.remove.data and not e.form.is_blank()]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if any(row.missing_numbers() for row in self.used_rows()):
            self.form_errors.append(_l("Fill in every number of each row you keep."))
            ok = False
        return ok

    def to_rows(self) -> list:
        return [row.to_row() for row in self.used_rows()]


class CategoriesForm(_TableForm):
    rows = FieldList(FormField(CategoryRowForm))


class StagesForm(_TableForm):
    rows = FieldList(FormField(StageRowForm))


class RubricForm(_TableForm):
    rows = FieldList(FormField(RubricRowForm))


class CopyCampaignForm(FlaskForm):
    year = WholeNumberField(_l("New year"), validators=[InputRequired(), NumberRange(2000, 2100)])


class StatusForm(FlaskForm):
    target = HiddenField(validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])
