"""Forms: the office's rules of a campaign, the unit's declaration, a reviewer's contest, the
office's finding."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.campaigns.models import Campaign
from portal.eligibility.defaults import columns_for
from portal.eligibility.models import FindingSource
from portal.inputs import parse_int
from portal.labels import label

REASON_CHARS = 2000

COLUMN_LABELS = {
    "founded_min_years": _l("Team founded at least (years before the reference date)"),
    "team_min_members": _l("Members at least"),
    "team_max_members": _l("Members at most"),
    "post_min_years": _l("Years in the current post at least"),
    "clean_record_years": _l(
        "Declaration of no verified serious complaint, incident or violation, covering (years)"
    ),
    "title_holder_years": _l("A holder of the same title awarded within (years) may not apply"),
}


def field_name(category_id: int, column: str) -> str:
    return f"c{category_id}-{column}"


class RulesForm(FlaskForm):
    """The rule values are read by field_name() from the posted form; an empty box is a rule
    not in force."""

    def values(
        self, campaign: Campaign, posted: Mapping[str, str]
    ) -> tuple[dict[int, dict[str, int | None]], dict[str, object]]:
        values: dict[int, dict[str, int | None]] = {}
        problems: dict[str, object] = {}
        for category in campaign.categories:
            row: dict[str, int | None] = {}
            for column in columns_for(category.kind):
                name = field_name(category.id, column)
                text = (posted.get(name) or "").strip()
                row[column] = parse_int(text, 0, 100) if text else None
                if text and row[column] is None:
                    problems[name] = _l("Enter a whole number from 0 to 100.")
            values[category.id] = row
        return values, problems


class DeclarationForm(FlaskForm):
    pass


class ContestForm(FlaskForm):
    reason = TextAreaField(
        _l("Why the declaration is contested"),
        validators=[InputRequired(), Length(max=REASON_CHARS)],
    )


class FindingForm(FlaskForm):
    source = SelectField(_l("Found in"), validators=[InputRequired()])
    found_on = DateField(_l("Found on"), validators=[Optional()])
    description = TextAreaField(
        _l("What was fabricated or concealed"),
        validators=[InputRequired(), Length(max=REASON_CHARS)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source.choices = [SelectChoice(s.value, label(s)) for s in FindingSource]
