"""Forms of the results pages: move a packet across the quota line, reopen the ranking (the
confirmation posts nothing but its CSRF token, which the app checks for every form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField, ValidationError
from wtforms.validators import InputRequired

from portal.inputs import parse_int
from portal.limits import REASON_CHARS
from portal.scoring.ranking import Direction


class MoveForm(FlaskForm):
    """One form for the whole ranking: a reason, and the pressed row's button, whose value
    says where the packet goes and which packet it is ("out-12", "in-7")."""

    move = StringField(_l("Move"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), render_kw={"maxlength": REASON_CHARS})

    def validate_move(self, field) -> None:
        direction, _dash, number = str(field.data).partition("-")
        if direction not in set(Direction) or not parse_int(number, lowest=1):
            raise ValidationError("not a move")

    @property
    def direction(self) -> Direction:
        return Direction(self.move.data.partition("-")[0])

    @property
    def application_id(self) -> int:
        return int(self.move.data.partition("-")[2])


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for reopening the ranking"), render_kw={"maxlength": REASON_CHARS}
    )
