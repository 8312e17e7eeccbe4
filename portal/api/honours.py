"""/api/v1/honours: public verification of a certificate; the office's honours and inspections.

The verification route needs no token and returns what the public page shows, nothing personal.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import lazy_gettext as _l

from portal.api.auth import api_user, public
from portal.api.errors import ApiError
from portal.api.serializers import iso, number, reference
from portal.api.views import _enum_arg, _int_arg, _page, bp
from portal.db import get_session
from portal.honours import rules, service
from portal.honours.models import Honour, HonourStatus, Inspection


def public_honour(honour: Honour, today) -> dict:
    return {
        "status": honour.status_on(today).value,
        "holder": honour.holder_name,
        "unit": honour.unit_name,
        "kind": honour.category.kind.value,
        "category": {
            "code": honour.category.code,
            "name_zh": honour.category.name_zh,
            "name_en": honour.category.name_en,
        },
        "year": honour.campaign.year,
        "theme": honour.campaign.theme,
        "certificate_number": honour.certificate_number,
        "awarded_on": iso(honour.awarded_on),
        "valid_until": iso(honour.valid_until),
        "revoked_on": iso(rules.shanghai_today(honour.revoked_at)) if honour.revoked_at else None,
        "revocation_reason": honour.revocation_reason,
    }


def office_honour(honour: Honour, today) -> dict:
    return {
        **public_honour(honour, today),
        "id": honour.id,
        "application_id": honour.application_id,
        "organization_id": honour.organization_id,
        "verification_code": honour.verification_code,
        "district": reference(honour.district),
        "industry": reference(honour.industry),
        "revoked_at": iso(honour.revoked_at),
    }


def inspection(row: Inspection) -> dict:
    return {
        "id": row.id,
        "inspected_on": iso(row.inspected_on),
        "unannounced": row.unannounced,
        "inspector": row.inspector,
        "findings": row.findings,
        "score": number(row.score),
        "files": [
            {
                "id": f.stored_file.id,
                "filename": f.stored_file.filename,
                "content_type": f.stored_file.content_type,
                "size": f.stored_file.size,
            }
            for f in row.files
        ],
        "created_at": iso(row.created_at),
    }


@bp.get("/honours/verify")
@public
def honours_verify():
    code = request.args.get("code", "").strip()
    if not code:
        raise ApiError(
            400,
            "invalid_parameter",
            _l("Give the verification code printed on the certificate."),
            parameter="code",
        )
    honour = service.find_by_code(get_session(), code)
    if honour is None:
        raise ApiError(404, "not_found", _l("No honour has this verification code."))
    response = jsonify(public_honour(honour, rules.shanghai_today()))
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response


def _manager():
    user = api_user()
    if not rules.can_view_honour_records(user):
        raise ApiError(
            403, "forbidden", _l("Only the programme office and the organizers see honours.")
        )
    return user


@bp.get("/honours")
def honours():
    _manager()
    status = _enum_arg("status", HonourStatus)
    year = _int_arg("year", None, 1900, 9999)
    today = rules.shanghai_today()
    query = service.list_honours(get_session(), status=status, year=year, today=today)
    rows, meta = _page(query, list(service.HONOUR_OPTIONS))
    return jsonify({"data": [office_honour(h, today) for h in rows], "meta": meta})


@bp.get("/honours/<int:honour_id>/inspections")
def honour_inspections(honour_id: int):
    _manager()
    honour = service.load_honour(get_session(), honour_id)
    if honour is None:
        raise ApiError(404, "not_found", _l("There is no honour with the id %(id)s.", id=honour_id))
    return jsonify({"data": [inspection(i) for i in honour.inspections]})
