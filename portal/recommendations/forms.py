"""Web forms of the recommendation pages; the ranks are read from 'rank-<packet id>' inputs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Optional

RANK_PREFIX = "rank-"


class RankingForm(FlaskForm):
    opinion = TextAreaField(_l("Recommendation opinion of the recommending organization"))
    # Sent, with the decision, to the units of the packets left without a rank.
    left_out_reason = TextAreaField(_l("Why the applications without a rank are not recommended"))
    lock_version = HiddenField(validators=[Optional()])

    def typed_ranks(self, formdata, packet_ids) -> dict[int, str]:
        """The rank typed for each packet shown (empty when none)."""
        return {pid: formdata.get(f"{RANK_PREFIX}{pid}", "") for pid in packet_ids}

    def lock(self) -> int | None:
        try:
            return int(self.lock_version.data)
        except (TypeError, ValueError):
            return None
