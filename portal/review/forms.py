"""The decision form of the review page; the service checks the decision itself."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.review.models import Decision

CHANNEL_CHOICES = [
    SelectChoice(Decision.FORWARD.value, _l("Forward")),
    SelectChoice(Decision.RETURN.value, _l("Return for revision")),
    SelectChoice(Decision.NOT_RECOMMEND.value, _l("Do not recommend")),
]
OFFICE_CHOICES = [
    SelectChoice(Decision.ACCEPT.value, _l("Accept")),
    SelectChoice(Decision.REJECT.value, _l("Reject")),
]


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=CHANNEL_CHOICES,
        validators=[InputRequired(message=_l("Choose a decision."))],
    )
    opinion = TextAreaField(
        _l("Opinion"),
        validators=[Length(max=2000)],
        render_kw={"rows": 5},
    )
    lock_version = HiddenField()
