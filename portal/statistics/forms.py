"""The statistics table form, and the office's return form."""

from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.inputs import WholeNumberField
from portal.limits import REASON_CHARS
from portal.statistics.models import COUNT_FIELDS


@cache
def statistics_form_class() -> type[FlaskForm]:
    """One IntegerField per figure of the table, then the contact lines."""

    class StatisticsForm(FlaskForm):
        lock_version = HiddenField()
        contact_name = StringField(_l("Contact person"), validators=[Length(max=64)])
        contact_phone = StringField(_l("Contact phone"), validators=[Length(max=32)])
        report_date = DateField(_l("Date"), validators=[Optional()])

    for name, text in COUNT_FIELDS:
        setattr(
            StatisticsForm,
            name,
            WholeNumberField(
                text,
                default=0,
                validators=[InputRequired(), NumberRange(min=0, max=10_000_000)],
                render_kw={"min": 0, "inputmode": "numeric"},
            ),
        )
    return StatisticsForm


class ReturnForm(FlaskForm):
    reason = TextAreaField(
        _l("What must be corrected"),
        validators=[InputRequired()],
        render_kw={"maxlength": REASON_CHARS},
    )
