"""Personal data (个人信息) of a packet: who sees it in full, how it is masked, and the record of
each time the programme office looks at it.

ID numbers, mobiles and birth dates of applicants and team members are shown in full to the
packet's own enterprise and to the programme office (for the formal check); everyone else gets
them masked, on every page, API answer and Word document. Every view, API endpoint and exporter
that shows a packet asks `reveal_personal_data` and masks with `packet_form` or `mask_value`.
"""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy.orm import Session

from portal import audit
from portal.applications.models import Application
from portal.applications.rules import can_see_personal_data
from portal.checks import mask_id_number, mask_mobile
from portal.db import end_read_only_transaction, will_write
from portal.roles import Role

# Where an access was made, as the audit entry names it.
PLACES = frozenset({"page", "review_page", "api_detail", "api_version", "word_form"})

VIEW_ACTION = "personal_data.view"


def mask_birth_date(value: Any) -> str:
    """Keep the year, hide month and day: 1990-**-** (the age is shown anyway)."""
    text = str(value or "")
    return text[:4] + "-**-**" if len(text) >= 4 else text


_MASKS = {
    "id_number": mask_id_number,
    "mobile": mask_mobile,
    "leader_mobile": mask_mobile,
    "birth_date": mask_birth_date,
}


def is_personal(name: str) -> bool:
    return name in _MASKS


def mask_value(name: str, value: Any) -> Any:
    """The masked form of one field's value; fields that are not personal come back as they are."""
    if not value or name not in _MASKS:
        return value
    return _MASKS[name](str(value))


def _mask_dict(row: dict) -> dict:
    return {k: mask_value(k, v) for k, v in row.items()}


def packet_form(form: dict, *, full: bool) -> dict:
    """The packet's form (portal.applications.formdata) as this reader may see it."""
    if full:
        return form
    shown = copy.copy(form)
    for part in ("team", "person"):
        if isinstance(form.get(part), dict):
            shown[part] = _mask_dict(form[part])
    shown["members"] = [_mask_dict(m) for m in form.get("members") or []]
    return shown


def packet_snapshot(snap: dict | None, *, full: bool) -> dict | None:
    """A snapshot (portal.applications.service.make_snapshot) with its form masked unless `full`."""
    if snap is None or full:
        return snap
    return {**snap, "form": packet_form(snap["form"], full=False)}


def reveal_personal_data(session: Session, user, app: Application, where: str) -> bool:
    """Whether `user` sees the packet's personal data in full here; an access by the office is
    recorded (one `personal_data.view` entry naming the reader, the packet and the place).

    The caller commits. On SQLite a GET reads without the write lock; the entry is written in a
    fresh transaction that takes the lock at once (portal.db._writes), so a reader never fails
    with "database is locked" for the audit row.
    """
    if where not in PLACES:
        raise ValueError(f"unknown place {where!r}")
    if not can_see_personal_data(user, app):
        return False
    if user.role is Role.OFFICE:
        will_write()
        end_read_only_transaction(session)
        audit.record(
            session,
            actor=user,
            action=VIEW_ACTION,
            obj=app,
            after={"where": where, "organization_id": app.organization_id},
        )
    return True
