"""The office's tools: audit trail and mail outbox."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from portal import audit
from portal.accounts import rules
from portal.db import get_session
from portal.inputs import query_int
from portal.mail import OutboxMessage
from portal.office import audit_view
from portal.pagination import paginate

bp = Blueprint("office", __name__, url_prefix="/office")
PAGE_SIZE = 50


@bp.route("/audit")
@login_required
def audit_log():
    if not rules.can_view_audit(current_user):
        abort(403)
    session = get_session()
    page = query_int("page", 1, highest=100_000)
    filters = audit_view.filters_from_request()
    query = filters.apply(sa.select(audit.AuditEntry)).order_by(audit.AuditEntry.id.desc())
    entries = paginate(session, query, page, PAGE_SIZE)
    result = audit.verify(session) if request.args.get("verify") else None
    return render_template(
        "office/audit.html",
        entries=entries.items,
        has_older=entries.has_next,
        changes=audit_view.changes,
        filters=filters,
        page=entries.page,
        result=result,
    )


@bp.route("/outbox")
@login_required
def outbox():
    if not rules.can_view_outbox(current_user):
        abort(403)
    messages = (
        get_session()
        .scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200))
        .all()
    )
    return render_template("office/outbox.html", messages=messages)
