"""Web forms of the honour pages. The service checks the values against the records."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.limits import REASON_CHARS


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""


class InspectionForm(FlaskForm):
    inspected_on = DateField(_l("Date of the inspection"), validators=[InputRequired()])
    unannounced = RadioField(
        _l("Kind of inspection"),
        choices=[
            SelectChoice("1", _l("Unannounced visit")),
            SelectChoice("0", _l("Announced inspection")),
        ],
        default="1",
        validators=[InputRequired()],
    )
    inspector = StringField(_l("Inspector"), validators=[DataRequired(), Length(max=100)])
    findings = TextAreaField(_l("Findings"), validators=[DataRequired(), Length(max=20000)])
    score = DecimalField(
        _l("Score (0–100)"), places=1, validators=[Optional(), NumberRange(min=0, max=100)]
    )
    files = MultipleFileField(_l("Evidence files (PDF, JPEG, PNG, Word)"))


class ComplaintForm(FlaskForm):
    received_on = DateField(_l("Date received"), validators=[InputRequired()])
    source = StringField(_l("Source"), validators=[DataRequired(), Length(max=200)])
    content = TextAreaField(_l("Content"), validators=[DataRequired(), Length(max=20000)])
    verified = BooleanField(_l("Verified by the programme office"))


class ProposalForm(FlaskForm):
    breach_on = DateField(_l("Date of the breach"), validators=[InputRequired()])
    reason = TextAreaField(
        _l("Reason for revocation (shown on the public list of revoked honours)"),
        validators=[DataRequired(), Length(max=2000)],
    )


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("approve", _l("Approve the revocation")),
            SelectChoice("refuse", _l("Refuse")),
        ],
        validators=[InputRequired()],
    )
    reason = TextAreaField(_l("Reason (required to refuse)"), validators=[Length(max=2000)])


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for withdrawing"), validators=[DataRequired(), Length(max=REASON_CHARS)]
    )


class AwardForm(FlaskForm):
    """What was given with the title."""

    certificate = BooleanField(_l("Certificate"), default=True)
    prize = StringField(_l("Prize (medal, plaque …)"), validators=[Optional(), Length(max=200)])
    bonus_yuan = DecimalField(
        _l("Bonus (yuan)"), places=2, validators=[Optional(), NumberRange(min=0, max=99999999)]
    )


class RecoveryForm(FlaskForm):
    """Whether the award of a revoked title came back."""

    recovery = RadioField(
        _l("Award"),
        choices=[
            SelectChoice("recovered", _l("Recovered")),
            SelectChoice("not_recovered", _l("Not recovered")),
        ],
        default="recovered",
        validators=[InputRequired()],
    )
    recovered_on = DateField(_l("Date"), validators=[InputRequired()])
    recovered_by = StringField(_l("Recovered by"), validators=[DataRequired(), Length(max=100)])
    note = TextAreaField(
        _l("Note (required if not recovered)"), validators=[Length(max=REASON_CHARS)]
    )
