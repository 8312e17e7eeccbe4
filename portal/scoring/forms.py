"""Forms of expert review: pool entries, panels, assignment, pledge, withdrawal, sheets."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.campaigns.forms import MultiCheckboxField
from portal.inputs import WholeNumberField
from portal.labels import label
from portal.limits import REASON_CHARS
from portal.scoring.models import WithdrawalKind
from portal.scoring.pool import ExpertData, PanelData


def _int_or_none(value):
    if value in (None, "", "None"):
        return None
    return int(value)


def _version(field) -> int | None:
    try:
        return int(field.data) if field.data not in (None, "") else None
    except ValueError:
        return -1


class ExpertForm(FlaskForm):
    # Database-backed checks (and the required fields) are the service's, all reported at once.
    name = StringField(_l("Name"), validators=[Length(max=64)])
    organization_id = SelectField(_l("Organization"), coerce=_int_or_none, validate_choice=False)
    title = StringField(_l("Title or post"), validators=[Optional(), Length(max=100)])
    industry_ids = MultiCheckboxField(_l("Industries of expertise"), coerce=int)
    mobile = StringField(_l("Mobile"), validators=[Optional(), Length(max=11)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    active = BooleanField(_l("Active in the pool"), default=True)
    user_id = SelectField(_l("Login (expert account)"), coerce=_int_or_none, validate_choice=False)
    lock_version = HiddenField()

    def to_data(self) -> ExpertData:
        return ExpertData(
            name=self.name.data or "",
            organization_id=self.organization_id.data,
            industry_ids=list(self.industry_ids.data or []),
            title=self.title.data or "",
            mobile=self.mobile.data or "",
            email=self.email.data or "",
            active=bool(self.active.data),
            user_id=self.user_id.data,
            lock_version=_version(self.lock_version),
        )


class PanelForm(FlaskForm):
    name = StringField(_l("Panel name"), validators=[Length(max=100)])
    industry_id = SelectField(_l("Industry"), coerce=_int_or_none, validate_choice=False)
    member_ids = MultiCheckboxField(_l("Members"), coerce=int)
    leader_id = SelectField(_l("Leader"), coerce=_int_or_none, validate_choice=False)
    lock_version = HiddenField()

    def to_data(self) -> PanelData:
        return PanelData(
            name=self.name.data or "",
            industry_id=self.industry_id.data,
            member_ids=list(self.member_ids.data or []),
            leader_id=self.leader_id.data,
            lock_version=_version(self.lock_version),
        )


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""


class AssignForm(FlaskForm):
    application_id = WholeNumberField(_l("Packet"), validators=[InputRequired()])
    expert_id = SelectField(_l("Expert"), coerce=_int_or_none, validators=[InputRequired()])
    reserve = BooleanField(_l("As a reserve"))


class ReassignForm(FlaskForm):
    expert_id = SelectField(
        _l("Hand over to"), coerce=_int_or_none, validators=[Optional()], validate_choice=False
    )


class PledgeForm(FlaskForm):
    accept = BooleanField(_l("I have read the pledge and accept it."), validators=[DataRequired()])


class WithdrawForm(FlaskForm):
    kind = SelectField(_l("Declaration"))
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(k.value, label(k)) for k in WithdrawalKind]


class SheetForm(FlaskForm):
    """The rubric lines are posted as item-<code>; the form carries the rest."""

    comment = TextAreaField(_l("Review opinion"), validators=[Optional(), Length(max=4000)])
    lock_version = HiddenField()

    def version(self) -> int | None:
        return _version(self.lock_version)


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for reopening"),
        validators=[InputRequired()],
        render_kw={"maxlength": REASON_CHARS},
    )
    lock_version = HiddenField()

    def version(self) -> int | None:
        return _version(self.lock_version)
