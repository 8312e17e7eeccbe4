"""Web forms of the application pages. The service checks the values; these carry them."""

from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired

from portal.applications.fields import fields_for
from portal.applications.models import FileCategory
from portal.campaigns.models import CategoryKind
from portal.labels import choices
from portal.organizations.models import UnitNature


def _choices(enum_cls) -> list[SelectChoice]:
    return [SelectChoice(value, text) for value, text in choices(enum_cls)]


class NewApplicationForm(FlaskForm):
    category_id = SelectField(_l("Category"), coerce=int, validators=[InputRequired()])


# An ID number ends in a digit or X: a phone offers letters, capitals first, and never
# corrects it; a lower-case x is accepted too (the service upper-cases the number).
ID_NUMBER_INPUT = {"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}


class MemberForm(Form):
    name = StringField(_l("Name"))
    id_number = StringField(_l("ID number"), render_kw=ID_NUMBER_INPUT)
    sex = SelectField(
        _l("Sex"),
        choices=[
            SelectChoice("", "—"),
            SelectChoice("male", _l("Male")),
            SelectChoice("female", _l("Female")),
        ],
        validate_choice=False,
    )
    birth_date = StringField(_l("Birth date"), render_kw={"type": "date"})
    post = StringField(_l("Post"))
    years_in_post = StringField(_l("Years in post"), render_kw={"inputmode": "numeric"})
    remove = BooleanField(_l("Remove"))


class HonourForm(Form):
    title = StringField(_l("Honour"))
    awarded_by = StringField(_l("Awarded by"))
    year = StringField(_l("Year"), render_kw={"inputmode": "numeric", "maxlength": 4})
    remove = BooleanField(_l("Remove"))


def _form_field(spec):
    if spec.kind == "nature":
        # The service checks the value (and names the problem); the form only carries it.
        # The class is built once and cached: the options are named per request, in the
        # reader's language, not in the language of the first request.
        return SelectField(
            spec.label,
            choices=lambda: [SelectChoice("", "—"), *_choices(UnitNature)],
            validate_choice=False,
        )
    if spec.kind == "longtext":
        kw = {"rows": 4}
        if spec.max_length:
            kw["maxlength"] = spec.max_length
        return TextAreaField(spec.label, render_kw=kw)
    attrs: dict[str, str | int] = {}
    if spec.kind == "date":
        attrs["type"] = "date"
    elif spec.kind == "rate":
        attrs["inputmode"] = "decimal"
    elif spec.kind == "postcode":
        attrs["inputmode"] = "numeric"
    elif spec.kind == "id_number":
        attrs.update(ID_NUMBER_INPUT)
    elif spec.kind in ("mobile", "phone"):
        attrs["type"] = "tel"
    elif spec.kind == "email":
        attrs["type"] = "email"
    if spec.max_length:
        attrs["maxlength"] = spec.max_length
    return StringField(spec.label, render_kw=attrs)


@cache
def application_form_class(kind: CategoryKind) -> type[FlaskForm]:
    """The edit form of a category: its fields from the field table, then the tables."""
    attrs = {spec.name: _form_field(spec) for spec in fields_for(kind)}
    attrs["lock_version"] = HiddenField()
    attrs["narrative"] = TextAreaField(_l("Introductory material"), render_kw={"rows": 18})
    attrs["honours"] = FieldList(FormField(HonourForm), min_entries=0)
    if kind is CategoryKind.TEAM:
        attrs["members"] = FieldList(FormField(MemberForm), min_entries=0)
    return type(f"{kind.value.title()}ApplicationForm", (FlaskForm,), attrs)


class UploadForm(FlaskForm):
    category = SelectField(_l("Kind of material"), choices=lambda: _choices(FileCategory))
    # Several files of one kind may be chosen at once; each is stored and checked alone.
    file = MultipleFileField(_l("Files"), validators=[FileRequired(_l("Choose a file to upload."))])


class WordImportForm(FlaskForm):
    file = FileField(
        _l("Filled-in application form (.docx)"),
        validators=[DataRequired(_l("Choose a file to upload."))],
    )


class ActionForm(FlaskForm):
    """A button that only carries the CSRF token."""
