"""The decision form of the review page; the service checks the decision itself."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length

from portal.campaigns.forms import MultiCheckboxField
from portal.review.models import MISSING_ITEMS, Decision

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


class CompletionForm(FlaskForm):
    """Return for completion (退回补正): everything missing at once, and a due date."""

    items = MultiCheckboxField(
        _l("What is missing"),
        choices=[SelectChoice(key, text) for key, text in MISSING_ITEMS.items()],
        validate_choice=False,  # the service keeps only known items
    )
    note = TextAreaField(
        _l("Anything else missing, in your words"),
        validators=[Length(max=2000)],
        render_kw={"rows": 4},
    )
    due_on = DateField(
        _l("Completed application due by the end of (Beijing time)"),
        validators=[InputRequired(message=_l("Give the due date."))],
    )
    lock_version = HiddenField()


class OverdueRejectionForm(FlaskForm):
    """Reject a packet whose completion did not come back by its due date."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[InputRequired(message=_l("Give the reason.")), Length(max=2000)],
        render_kw={"rows": 3},
    )
