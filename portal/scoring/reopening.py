"""What an expert learns when the office reopens their locked score sheet: the reason, on the
sheet and by mail."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.audit import AuditEntry
from portal.mail import send_mail
from portal.scoring.models import ScoreSheet


def reopen_reason(session: Session, sheet: ScoreSheet | None) -> str | None:
    """The reason the office gave when it last reopened the sheet, while it stays reopened."""
    if sheet is None or sheet.locked or not sheet.reopen_count:
        return None
    return session.scalar(
        sa.select(AuditEntry.reason)
        .where(
            AuditEntry.action == "sheet.reopen",
            AuditEntry.object_type == ScoreSheet.__tablename__,
            AuditEntry.object_id == str(sheet.id),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )


def mail_reopened(session: Session, sheet: ScoreSheet, reason: str) -> bool:
    """Tell the sheet's expert that it is open again and why; False if they have no address."""
    expert = sheet.expert
    address = expert.email or (expert.user.email if expert.user else None)
    if not address:
        return False
    body = str(
        _l(
            "Dear %(name)s,\n\nThe programme office reopened your score sheet for packet "
            "#%(packet)s %(title)s, so that you can correct it.\n\nReason: %(reason)s\n\n"
            "Please correct the sheet and lock it again before the review deadline.",
            name=expert.name,
            packet=sheet.application_id,
            title=sheet.application.title,
            reason=reason,
        )
    )
    subject = str(
        _l("Your score sheet for packet #%(packet)s is reopened", packet=sheet.application_id)
    )
    send_mail(session, address, subject, body)
    return True
