"""Forms of the national recommendation page; the service checks them against the records."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.national.service import REASON_MAX_CHARS


class AddForm(FlaskForm):
    honour_id = SelectField(
        _l("Current honour holder"), coerce=int, validate_choice=False, validators=[InputRequired()]
    )
    reason = TextAreaField(
        _l("Reason for the recommendation"), validators=[Length(max=REASON_MAX_CHARS)]
    )


class ActionForm(FlaskForm):
    """A button, or the ranks typed beside each row, that only needs the CSRF token."""
