"""Web forms of the re-evaluation pages. The service checks the values against the records."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.limits import REASON_CHARS


class RoundForm(FlaskForm):
    title = StringField(_l("Title of the round"), validators=[DataRequired(), Length(max=200)])
    report_by = DateField(_l("Units report by (Beijing time)"), validators=[InputRequired()])


class ReportForm(FlaskForm):
    changes = TextAreaField(
        _l("What changed since the title was awarded"),
        validators=[Optional(), Length(max=5000)],
    )
    surveys = TextAreaField(
        _l("Recent customer surveys (when, how many, what they found)"),
        validators=[Optional(), Length(max=3000)],
    )
    staff_count = IntegerField(
        _l("Staff now (people)"), validators=[Optional(), NumberRange(min=1, max=100000)]
    )
    satisfaction_rate = DecimalField(
        _l("Customer satisfaction in the latest survey (%)"),
        places=1,
        validators=[Optional(), NumberRange(min=0, max=100)],
    )
    complaints = IntegerField(
        _l("Verified complaints in the last year"),
        validators=[Optional(), NumberRange(min=0, max=100000)],
    )
    file = FileField(_l("Supporting file, optional (PDF, JPEG, PNG, Word)"))


class ReviewForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("forward", _l("Forward with my opinion")),
            SelectChoice("return", _l("Return to the unit to correct")),
        ],
        validators=[InputRequired()],
    )
    opinion = TextAreaField(
        _l("Opinion, or what the unit must correct"),
        validators=[DataRequired(), Length(max=REASON_CHARS)],
    )


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("renew", _l("Passed: renew the title for three years")),
            SelectChoice("lapse", _l("Not passed: the title lapses on its date")),
        ],
        validators=[InputRequired()],
    )
    reason = TextAreaField(
        _l("Reason (required when the title lapses)"),
        validators=[Length(max=REASON_CHARS)],
    )


class LapseForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=REASON_CHARS)])


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""
