"""The office's organization form, its filter form, and the messages for each problem."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.validators import Email as EmailValidator

from portal.db import get_session
from portal.i18n import localized_name
from portal.labels import choices, label
from portal.organizations.models import (
    ChannelLevel,
    District,
    Industry,
    Organization,
    OrgKind,
    OrgSystem,
    UnitNature,
)
from portal.organizations.service import OrganizationData

CREDIT_CODE_MESSAGES = {
    "length": _l("The unified social credit code has 18 characters."),
    "characters": _l(
        "The unified social credit code uses digits and capital letters except I, O, Z, S and V."
    ),
    "check": _l(
        "The check character of this unified social credit code is wrong; please check the code "
        "against the unit's business licence."
    ),
}


PROBLEM_MESSAGES = {
    "name_required": _l("Enter the organization's name."),
    "name_taken": _l("Another organization already has this name."),
    "system_required": _l(
        "Organizers and channel organizations belong to one of the four systems: choose it."
    ),
    "organizer_exists": _l("There is already an active organizer for this system."),
    "office_needs_quality_organizer": _l(
        "The programme office belongs to the quality association organizer; create that "
        "organizer first."
    ),
    "office_parent": _l(
        "The superior body of the programme office must be the quality association organizer."
    ),
    "channel_level_required": _l(
        "Choose whether the channel organization works for a district or for an industry, "
        "bureau or group."
    ),
    "district_required": _l("Choose the district."),
    "district_channel_exists": _l(
        "This system already has an active channel organization for this district."
    ),
    "industry_required": _l("Choose the industry."),
    "credit_code_required": _l("An enterprise needs its unified social credit code."),
    "credit_code_length": CREDIT_CODE_MESSAGES["length"],
    "credit_code_characters": CREDIT_CODE_MESSAGES["characters"],
    "credit_code_check": CREDIT_CODE_MESSAGES["check"],
    "credit_code_taken": _l("Another organization already has this unified social credit code."),
    "mobile": _l("A mobile number has 11 digits and starts with 1."),
    "postcode": _l("A postcode has 6 digits."),
    "parent_missing": _l("The chosen superior body does not exist."),
    "parent_cycle": _l(
        "An organization cannot be its own superior body, directly or through others."
    ),
    "kind_has_users": _l(
        "This organization has user accounts whose roles need its present kind; change their "
        "roles or organizations first."
    ),
    "has_active_users": _l(
        "This organization still has active user accounts; deactivate them or move them to "
        "another organization first."
    ),
}


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


def _optional_enum(enum_cls):
    def coerce(value):
        if value in (None, "", "None"):
            return None
        return enum_cls(value)

    coerce.__name__ = f"optional_{enum_cls.__name__}"
    return coerce


BLANK = ("", "—")


def _reference_choices(model) -> list[tuple]:
    rows = get_session().scalars(sa.select(model).order_by(model.position)).all()
    return [BLANK] + [(r.id, localized_name(r)) for r in rows]


def _parent_choices(exclude_id: int | None, current_id: int | None) -> list[tuple]:
    # Active organizations, and the present superior body even if it has been deactivated.
    query = (
        sa.select(Organization)
        .where(sa.or_(Organization.active.is_(True), Organization.id == (current_id or 0)))
        .order_by(Organization.kind, Organization.name)
    )
    rows = get_session().scalars(query).all()
    return [BLANK] + [(o.id, f"{o.name} ({label(o.kind)})") for o in rows if o.id != exclude_id]


class OrganizationForm(FlaskForm):
    name = StringField(_l("Organization name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), coerce=OrgKind)
    system = SelectField(_l("System"), coerce=_optional_enum(OrgSystem))
    channel_level = SelectField(_l("Channel level"), coerce=_optional_enum(ChannelLevel))
    district_id = SelectField(_l("District"), coerce=_optional_int)
    industry_id = SelectField(_l("Industry"), coerce=_optional_int)
    parent_id = SelectField(_l("Superior body"), coerce=_optional_int)
    credit_code = StringField(_l("Unified social credit code"), validators=[Length(max=18)])
    unit_nature = SelectField(_l("Nature of the unit"), coerce=_optional_enum(UnitNature))
    contact_name = StringField(_l("Contact person"), validators=[Length(max=64)])
    contact_mobile = StringField(_l("Contact mobile"), validators=[Length(max=11)])
    contact_email = EmailField(
        _l("Contact email"), validators=[Optional(), EmailValidator(), Length(max=254)]
    )
    address = StringField(_l("Address"), validators=[Length(max=300)])
    postcode = StringField(_l("Postcode"), validators=[Length(max=6)])

    def __init__(self, *args, org: Organization | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(OrgKind)
        self.system.choices = [BLANK, *choices(OrgSystem)]
        self.channel_level.choices = [BLANK, *choices(ChannelLevel)]
        self.unit_nature.choices = [BLANK, *choices(UnitNature)]
        self.district_id.choices = _reference_choices(District)
        self.industry_id.choices = _reference_choices(Industry)
        self.parent_id.choices = _parent_choices(
            org.id if org else None, org.parent_id if org else None
        )

    def to_data(self) -> OrganizationData:
        return OrganizationData(
            **{name: self[name].data for name in OrganizationData.__dataclass_fields__}
        )

    def show_problems(self, problems: dict[str, str]) -> None:
        for field_name, key in problems.items():
            target = self._fields.get(field_name, self.name)
            target.errors = [*target.errors, PROBLEM_MESSAGES[key]]


class OrganizationFilterForm(FlaskForm):
    """Filters of the organization list, read from the query string."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), coerce=_optional_enum(OrgKind))
    system = SelectField(_l("System"), coerce=_optional_enum(OrgSystem))
    district_id = SelectField(_l("District"), coerce=_optional_int)
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("active", _l("Active")),
            SelectChoice("inactive", _l("Inactive")),
            SelectChoice("all", _l("All")),
        ],
    )
    q = StringField(_l("Name contains"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", _l("All kinds")), *choices(OrgKind)]
        self.system.choices = [("", _l("All systems")), *choices(OrgSystem)]
        self.district_id.choices = [("", _l("All districts"))] + _reference_choices(District)[1:]
