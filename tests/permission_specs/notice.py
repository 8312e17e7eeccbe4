"""Public notice: the list, its Word copy, objections and case status are open to everyone;
joint approval for the office and the organizers; calendar and cases for the office."""

from tests.permission_specs import Spec, everyone, only


def _notice():
    from tests.notice.helpers import open_now

    return open_now(2)


def _year_url(_user):
    campaign, _, _ = _notice()
    return f"/notice/{campaign.year}"


def _docx_url(_user):
    campaign, _, _ = _notice()
    return f"/notice/{campaign.year}/list.docx"


def _object_url(_user):
    campaign, _, apps = _notice()
    return f"/notice/{campaign.year}/candidates/{apps[0].id}/objection"


def _campaign_url(suffix: str = ""):
    def url(_user):
        from tests.notice.helpers import with_candidates

        campaign, _ = with_candidates(1)
        return f"/notice/manage/{campaign.id}{suffix}"

    return url


def _case():
    from tests.notice.helpers import objection

    _, notice, apps = _notice()
    return objection(notice, apps[0], evidence=True)


def _case_url(suffix: str = ""):
    return lambda _user: f"/notice/manage/objections/{_case().id}{suffix}"


def _case_file_url(_user):
    case = _case()
    return f"/notice/manage/objections/{case.id}/files/{case.files[0].stored_file_id}"


def _api_status_url(_user):
    case = _case()
    return f"/api/v1/notice/objections/status?case={case.case_number}&mobile={case.mobile}"


def _api_notice_url(_user):
    _notice()
    return "/api/v1/notice"


OFFICE = only("office")
APPROVERS = only("office", "organizer")
SIGNERS = only("organizer")

SPECS = [
    # Public pages
    Spec("notice.index", everyone("ok")),
    Spec("notice.year", everyone("ok"), url=_year_url),
    Spec("notice.docx", everyone("ok"), url=_docx_url),
    Spec("notice.object_to", everyone("ok"), url=_object_url),
    Spec("notice.object_to", everyone("ok"), method="POST", url=_object_url, name="object-post"),
    Spec("notice.status", everyone("ok")),
    Spec("notice.status", everyone("ok"), method="POST", name="status-post"),
    # Joint approval and opening
    Spec("notice.manage_current", APPROVERS, url=lambda u: _campaign_url()(u) and "/notice/manage"),
    Spec("notice.approval", APPROVERS, url=_campaign_url()),
    Spec("notice.request_approval", OFFICE, method="POST", url=_campaign_url("/request")),
    Spec("notice.sign", SIGNERS, method="POST", url=_campaign_url("/sign")),
    Spec("notice.send_back", SIGNERS, method="POST", url=_campaign_url("/send-back")),
    Spec("notice.open_notice", OFFICE, method="POST", url=_campaign_url("/open")),
    # Calendar
    Spec("notice.calendar", OFFICE),
    Spec("notice.calendar", OFFICE, method="POST", name="calendar-post"),
    Spec(
        "notice.calendar_delete",
        OFFICE,
        method="POST",
        url=lambda _u: "/notice/calendar/2026-10-01/delete",
    ),
    # The office's cases
    Spec("notice.objection_list", OFFICE),
    Spec("notice.objection", OFFICE, url=_case_url()),
    Spec("notice.objection_assign", OFFICE, method="POST", url=_case_url("/assign")),
    Spec("notice.objection_findings", OFFICE, method="POST", url=_case_url("/findings")),
    Spec("notice.objection_decide", OFFICE, method="POST", url=_case_url("/decide")),
    Spec("notice.objection_file", OFFICE, url=_case_file_url),
    # The public API (the office's routes want a token: test_permission_matrix walks those)
    Spec("api.notice_list", everyone("ok"), url=_api_notice_url),
    Spec("api.objection_status", everyone("ok"), url=_api_status_url),
]
