"""Forms of the office's user management, and the message for each refusal."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from portal.accounts import rules
from portal.accounts.forms import validate_mobile
from portal.db import get_session
from portal.labels import label
from portal.organizations.models import Organization, OrgKind
from portal.roles import Role

PROBLEM_MESSAGES = {
    "name_required": _l("Enter the person's name."),
    "email_taken": _l("This email address already has an account."),
    "mobile": _l("A mobile number has 11 digits and starts with 1."),
    "role_not_grantable": _l("Only a system administrator may give or change this role."),
    "organization_missing": _l("Choose the organization."),
    "organization_inactive": _l("This organization is deactivated; choose an active one."),
    "role_needs_enterprise_org": _l("An enterprise user belongs to an enterprise."),
    "role_needs_channel_reviewer_org": _l("A channel reviewer belongs to a channel organization."),
    "role_needs_office_org": _l("Programme office staff belong to the programme office."),
    "role_needs_organizer_org": _l("An organizer approver belongs to one of the organizers."),
    "role_needs_admin_org": _l("A system administrator belongs to the programme office."),
    "cannot_deactivate_self": _l("You cannot deactivate your own account."),
    "cannot_change_own_role": _l("You cannot change your own role."),
}


def role_choices(actor) -> list[tuple[str, str]]:
    return [(r.value, label(r)) for r in Role if rules.can_grant_role(actor, r)]


def organization_choices(include_id: int | None = None) -> list[tuple[int, str]]:
    query = sa.select(Organization).order_by(Organization.kind, Organization.name)
    query = query.where(sa.or_(Organization.active.is_(True), Organization.id == (include_id or 0)))
    return [(o.id, f"{o.name} ({label(o.kind)})") for o in get_session().scalars(query)]


class UserFields:
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64)])
    mobile = StringField(_l("Mobile"), validators=[Optional(), validate_mobile])
    role = SelectField(_l("Role"), coerce=Role)
    organization_id = SelectField(_l("Organization"), coerce=int)

    def show_problems(self, problems: dict[str, str]) -> None:
        for field_name, key in problems.items():
            target = getattr(self, field_name)  # a mixin: the form's bound field of that name
            target.errors = [*target.errors, PROBLEM_MESSAGES[key]]


class NewUserForm(UserFields, FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password_mode = RadioField(
        _l("Password"),
        choices=[
            SelectChoice("link", _l("Send a link to choose a password")),
            SelectChoice("initial", _l("Set an initial password")),
        ],
        default="link",
    )
    password = PasswordField(_l("Initial password"))

    def __init__(self, actor, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices(actor)
        self.organization_id.choices = organization_choices()

    def validate_password(self, field) -> None:
        if self.password_mode.data != "initial":
            return
        if not field.data:
            raise ValidationError(_l("Enter the initial password, or choose to send a link."))
        if len(field.data) < 10:
            raise ValidationError(_l("At least 10 characters."))


class EditUserForm(UserFields, FlaskForm):
    active = BooleanField(_l("Active (may log in)"))

    def __init__(self, actor, target, *args, **kwargs):
        super().__init__(*args, obj=target, **kwargs)
        self.role.choices = role_choices(actor)
        if target.role.value not in dict(self.role.choices):
            self.role.choices.append((target.role.value, label(target.role)))
        self.organization_id.choices = organization_choices(target.organization_id)


class UserFilterForm(FlaskForm):
    """Filters of the user list, read from the query string."""

    class Meta:
        csrf = False

    role = SelectField(_l("Role"))
    org_kind = SelectField(_l("Kind of organization"))
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("active", _l("Active")),
            SelectChoice("inactive", _l("Inactive")),
            SelectChoice("all", _l("All")),
        ],
    )
    q = StringField(_l("Name or email contains"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [("", _l("All roles"))] + [(r.value, label(r)) for r in Role]
        self.org_kind.choices = [("", _l("All kinds"))] + [(k.value, label(k)) for k in OrgKind]
        # A value that is not one of the choices (a hand-edited link) sets no filter.
        for select in (self.role, self.org_kind, self.status):
            if select.data not in {choice[0] for choice in select.iter_choices()}:
                select.data = select.default
