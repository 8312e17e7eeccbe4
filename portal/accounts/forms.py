"""Forms for login, registration and password reset."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from portal.checks import credit_code_problem, is_mobile
from portal.organizations.forms import CREDIT_CODE_MESSAGES


def validate_credit_code(_form, field) -> None:
    problem = credit_code_problem(field.data or "")
    if problem:
        raise ValidationError(CREDIT_CODE_MESSAGES[problem])


def validate_mobile(_form, field) -> None:
    if field.data and not is_mobile(field.data):
        raise ValidationError(_l("A mobile number has 11 digits and starts with 1."))


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
    unit_name = StringField(_l("Unit name"), validators=[DataRequired(), Length(max=200)])
    credit_code = StringField(
        _l("Unified social credit code"), validators=[DataRequired(), validate_credit_code]
    )
    district_id = SelectField(_l("District"), coerce=int, validators=[DataRequired()])
    industry_id = SelectField(_l("Industry"), coerce=int, validators=[DataRequired()])
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
