"""Forms for login, registration and password reset."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from portal.checks import credit_code_problem, is_mobile
from portal.organizations.forms import CREDIT_CODE_MESSAGES
from portal.organizations.models import UnitNature

# The first, empty choice of a list that has no default: a unit must pick its own district
# and industry (they decide which channel reviews it), never keep one chosen for it.
CHOOSE = ("", _l("— Choose —"))


def validate_credit_code(_form, field) -> None:
    problem = credit_code_problem(field.data or "")
    if problem:
        raise ValidationError(CREDIT_CODE_MESSAGES[problem])


def validate_mobile(_form, field) -> None:
    if field.data and not is_mobile(field.data):
        raise ValidationError(_l("A mobile number has 11 digits and starts with 1."))


def _chosen_id(value):
    return int(value) if value not in (None, "", "None") else None


def _chosen_nature(value):
    return UnitNature(value) if value not in (None, "", "None") else None


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class PasswordFields:
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=10, message=_l("At least 10 characters."))],
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class RegisterForm(PasswordFields, FlaskForm):
    """The unit's details, given once: every packet it starts is filled with them."""

    unit_name = StringField(_l("Unit name"), validators=[DataRequired(), Length(max=200)])
    credit_code = StringField(
        _l("Unified social credit code"), validators=[DataRequired(), validate_credit_code]
    )
    district_id = SelectField(
        _l("District"),
        coerce=_chosen_id,
        validators=[DataRequired(_l("Choose the district where your unit is registered."))],
    )
    industry_id = SelectField(
        _l("Industry"),
        coerce=_chosen_id,
        validators=[DataRequired(_l("Choose the industry of your unit."))],
    )
    unit_nature = SelectField(_l("Nature of the unit"), coerce=_chosen_nature)
    address = StringField(_l("Address"), validators=[Length(max=300)])
    postcode = StringField(
        _l("Postcode"),
        validators=[Optional(), Regexp(r"^\d{6}$", message=_l("A postcode has 6 digits."))],
    )
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=64)])
    mobile = StringField(_l("Mobile"), validators=[DataRequired(), validate_mobile])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email()])


class ResetPasswordForm(PasswordFields, FlaskForm):
    # Sessions end with any new password; tokens only on request, as scripts may depend on them.
    revoke_tokens = BooleanField(_l("Also revoke all my API tokens"), default=True)


class ApiTokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=64)])
