"""Web forms of the recommendation pages; the ranks are read from 'rank-<packet id>' inputs,
one for each packet of the page the form showed (an empty one: not ranked)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Optional

from portal.inputs import parse_int

RANK_PREFIX = "rank-"


class RankingForm(FlaskForm):
    opinion = TextAreaField(_l("Recommendation opinion of the recommending organization"))
    # Sent, with the decision, to the units of the packets left without a rank.
    left_out_reason = TextAreaField(_l("Why the applications without a rank are not recommended"))
    lock_version = HiddenField(validators=[Optional()])

    @staticmethod
    def typed_ranks(formdata) -> dict[int, str]:
        """The rank typed for each packet the page showed (empty when none)."""
        typed = {}
        for name, value in formdata.items():
            if name.startswith(RANK_PREFIX):
                app_id = parse_int(name.removeprefix(RANK_PREFIX), 1)
                if app_id is not None:
                    typed[app_id] = value
        return typed

    @staticmethod
    def page_to_turn(formdata) -> int | None:
        """The page a page button asks for once the page's ranks are saved, else None."""
        return parse_int(formdata.get("turn"), 1)

    def lock(self) -> int | None:
        try:
            return int(self.lock_version.data)
        except (TypeError, ValueError):
            return None
