"""Forms of the joint approval, the calendar, the objection intake and the office's cases."""

from __future__ import annotations

import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from portal.campaigns.forms import BeijingDateTimeField
from portal.checks import is_mobile
from portal.inputs import WholeNumberField
from portal.notice.models import DayKind

REASON_MIN, REASON_MAX = 20, 5000


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="objection-form")


def form_started_token(now: float | None = None) -> str:
    """A signed stamp of when the objection form was served (for the minimum fill time)."""
    return _serializer().dumps(int(now if now is not None else time.time()))


def seconds_since(token: str, now: float | None = None) -> float | None:
    """Seconds since the stamp was made, or None if it is missing or forged."""
    try:
        started = _serializer().loads(token or "")
    except BadSignature:
        return None
    if not isinstance(started, int):
        return None
    return (now if now is not None else time.time()) - started


def _mobile(form, field) -> None:
    if not is_mobile(field.data or ""):
        raise ValidationError(_l("Enter an 11-digit mainland mobile number, e.g. 13812345678."))


class SignForm(FlaskForm):
    digest = HiddenField(validators=[InputRequired()])


class SendBackForm(FlaskForm):
    digest = HiddenField(validators=[InputRequired()])
    reason = TextAreaField(
        _l("Reason for sending the list back"), validators=[InputRequired(), Length(max=2000)]
    )


class OpenNoticeForm(FlaskForm):
    opens_at = BeijingDateTimeField(
        _l("Opens at (Beijing time, YYYY-MM-DD HH:MM; empty for now)"), validators=[Optional()]
    )


class CalendarDayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired()])
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice(DayKind.HOLIDAY.value, _l("Holiday (no work on a weekday)")),
            SelectChoice(DayKind.WORKDAY.value, _l("Make-up working day (work on a weekend day)")),
        ],
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=100)])


class ObjectionForm(FlaskForm):
    name = StringField(_l("Your real name"), validators=[InputRequired(), Length(max=64)])
    mobile = StringField(_l("Mobile number"), validators=[InputRequired(), _mobile])
    email = EmailField(
        _l("Email (optional, for the reply)"), validators=[Optional(), Email(), Length(max=254)]
    )
    reason = TextAreaField(
        _l("What is wrong, with facts we can check"),
        validators=[InputRequired(), Length(min=REASON_MIN, max=REASON_MAX)],
    )
    evidence = MultipleFileField(_l("Evidence (PDF, JPEG or PNG)"))
    # Left empty by people: the field is hidden from view and from assistive technology.
    website = StringField(_l("Leave this field empty"))
    started = HiddenField()


class StatusLookupForm(FlaskForm):
    case = StringField(_l("Case number"), validators=[InputRequired(), Length(max=40)])
    mobile = StringField(_l("Mobile number you gave"), validators=[InputRequired(), Length(max=11)])


class AssignForm(FlaskForm):
    investigator = SelectField(_l("Investigator"), coerce=int)
    lock_version = WholeNumberField(validators=[InputRequired()])


class FindingsForm(FlaskForm):
    findings = TextAreaField(_l("Findings"), validators=[InputRequired(), Length(max=10000)])
    lock_version = WholeNumberField(validators=[InputRequired()])


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("upheld", _l("Upheld: withdraw the candidate")),
            SelectChoice("dismissed", _l("Dismissed")),
        ],
        validators=[InputRequired()],
    )
    reply = TextAreaField(
        _l("Reply to the objector"), validators=[InputRequired(), Length(max=5000)]
    )
    lock_version = WholeNumberField(validators=[InputRequired()])
