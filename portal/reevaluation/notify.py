"""Mail to the holder's unit: a re-evaluation asks for its report, returns it, or decides."""

from __future__ import annotations

import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.mail import send_mail
from portal.reevaluation.models import Reevaluation, ReevaluationState
from portal.roles import Role

S = ReevaluationState


def _lines(r: Reevaluation) -> list[str]:
    """What the unit is told at the step the re-evaluation has reached."""
    honour = r.honour
    if r.state is S.OPEN:
        return [
            _(
                "The title of %(holder)s (certificate %(number)s) is in its third year and ends "
                "on %(end)s. Report what changed, your current figures and recent customer "
                "surveys by the end of %(day)s (Beijing time).",
                holder=honour.holder_name,
                number=honour.certificate_number,
                end=r.term_ends_on.isoformat(),
                day=r.round.report_by.isoformat(),
            )
        ]
    if r.state is S.RETURNED:
        return [_("Your re-evaluation report was returned: %(reason)s", reason=r.return_reason)]
    if r.state is S.RENEWED:
        return [
            _(
                "The title is renewed after re-evaluation, valid from %(start)s to %(end)s, "
                "with certificate %(number)s and verification code %(code)s.",
                start=honour.awarded_on.isoformat(),
                end=honour.valid_until.isoformat(),
                number=honour.certificate_number,
                code=honour.verification_code,
            )
        ]
    return [
        _(
            "The title did not pass re-evaluation and ends on %(end)s.",
            end=r.term_ends_on.isoformat(),
        ),
        r.decision_reason,
    ]


def tell_unit(session: Session, r: Reevaluation) -> None:
    """Mail every active account of the holder's unit about where its re-evaluation stands."""
    subject = _("Re-evaluation of the title of %(holder)s", holder=r.honour.holder_name)
    lines = [line for line in _lines(r) if line]
    if has_request_context():
        lines.append(url_for("reevaluation.show", reevaluation_id=r.id, _external=True))
    addresses = session.scalars(
        sa.select(User.email)
        .where(
            User.organization_id == r.honour.organization_id,
            User.role == Role.ENTERPRISE,
            User.active,
        )
        .order_by(User.id)
    )
    for address in addresses:
        send_mail(session, address, subject, "\n\n".join(lines))
