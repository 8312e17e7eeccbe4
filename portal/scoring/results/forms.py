"""Forms of the results pages: move a packet across the quota line, confirm, reopen."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import AnyOf, InputRequired

from portal.inputs import WholeNumberField
from portal.limits import REASON_CHARS
from portal.scoring.ranking import Direction


class MoveForm(FlaskForm):
    application_id = WholeNumberField(validators=[InputRequired()])
    direction = HiddenField(validators=[AnyOf([d.value for d in Direction])])
    reason = TextAreaField(_l("Reason"), render_kw={"maxlength": REASON_CHARS})


class ConfirmForm(FlaskForm):
    """No fields: the list confirmed is the one the server computes at that moment."""


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for reopening the ranking"), render_kw={"maxlength": REASON_CHARS}
    )
