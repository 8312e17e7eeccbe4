"""/api/v1/honours: public verification of a certificate; the office's honours and inspections.

The verification route needs no token and returns what the public page shows, nothing personal.
"""

from __future__ import annotations

from flask import Response
from flask_babel import lazy_gettext as _l

from portal.accounts.models import User
from portal.api.auth import api_user
from portal.api.errors import ApiError
from portal.api.models.honours import (
    HonourPage,
    HonourQuery,
    HonourRecord,
    HonourVerification,
    Inspection,
    InspectionList,
    VerifyQuery,
)
from portal.api.spec import answer, operation
from portal.api.views import page_of
from portal.db import get_session
from portal.honours import rules, service

FORBIDDEN = "Only the programme office and the organizers"


@operation(
    "/honours/verify",
    "Verify a certificate by its code (no token needed; nothing personal is returned)",
    HonourVerification,
    query=VerifyQuery,
    description="The honour and its status today",
    errors={404: "No honour has this code"},
    public=True,
)
def honours_verify(query: VerifyQuery) -> Response:
    code = query.code.strip()
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
    today = rules.shanghai_today()
    response = answer(HonourVerification(**HonourVerification.public(honour, today)))
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response


def _manager() -> User:
    user = api_user()
    if not rules.can_view_honour_records(user):
        raise ApiError(
            403, "forbidden", _l("Only the programme office and the organizers see honours.")
        )
    return user


@operation(
    "/honours",
    "Honours, newest campaign first (programme office and organizers)",
    HonourPage,
    query=HonourQuery,
    description="One page of honours",
    errors={403: FORBIDDEN},
)
def honours(query: HonourQuery) -> Response:
    _manager()
    today = rules.shanghai_today()
    select = service.list_honours(get_session(), status=query.status, year=query.year, today=today)
    rows, meta = page_of(select, list(service.HONOUR_OPTIONS), query)
    data = [HonourRecord.of(h, today) for h in rows]
    return answer(HonourPage(data=data, meta=meta))


@operation(
    "/honours/<int:honour_id>/inspections",
    "Inspections of one honour, newest first (programme office and organizers)",
    InspectionList,
    description="The inspections with their evidence files",
    path_ids={"honour_id": "honour"},
    errors={403: FORBIDDEN, 404: "No such record, or not visible to this account"},
)
def honour_inspections(honour_id: int) -> Response:
    _manager()
    honour = service.load_honour(get_session(), honour_id)
    if honour is None:
        raise ApiError(404, "not_found", _l("There is no honour with the id %(id)s.", id=honour_id))
    return answer(InspectionList(data=[Inspection.of(i) for i in honour.inspections]))
