"""Objections (异议): intake within the window, flood protection, cases, status and decisions."""

import io
import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications.models import Application, ApplicationState
from portal.audit import AuditEntry
from portal.db import get_session
from portal.files.service import UploadRejected
from portal.mail import OutboxMessage
from portal.notice import objections, rows
from portal.notice.errors import NoticeError
from portal.notice.forms import form_started_token
from portal.notice.models import Objection, ObjectionStatus, PublicNotice
from tests.factories import make_user, shanghai
from tests.notice.helpers import PDF, REASON, objection, open_notice, open_now, with_candidates

CASE_RE = re.compile(r"^YY2026(-[A-HJ-NP-Z2-9]{4}){4}$")


def _notice_at_monday():
    """A notice opened Monday 7 Dec 2026 09:00, closing after Friday 11 Dec 23:59:59."""
    campaign, apps = with_candidates(2)
    return open_notice(campaign, opens_at=shanghai(2026, 12, 7, 9, 0)), apps


def _submit(notice, app, now, **kw):
    kw.setdefault("name", "赵敏")
    kw.setdefault("mobile", "13800138000")
    kw.setdefault("email", None)
    kw.setdefault("reason", REASON)
    kw.setdefault("filled_seconds", 30)
    return objections.submit_objection(get_session(), notice, app, now=now, **kw)


def test_window_edges_one_second_either_side_in_shanghai(session):
    notice, apps = _notice_at_monday()
    with pytest.raises(NoticeError) as early:
        _submit(notice, apps[0], shanghai(2026, 12, 7, 8, 59, 59))
    assert early.value.key == "window_not_open"
    first = _submit(notice, apps[0], shanghai(2026, 12, 7, 9, 0, 0))
    last = _submit(notice, apps[1], shanghai(2026, 12, 11, 23, 59, 59), mobile="13800138001")
    assert CASE_RE.match(first.case_number) and CASE_RE.match(last.case_number)
    with pytest.raises(NoticeError) as late:
        _submit(notice, apps[0], shanghai(2026, 12, 12, 0, 0, 0), mobile="13800138002")
    assert late.value.key == "window_closed"
    assert "2026-12-11 23:59:59" in late.value.message


def test_case_numbers_carry_80_random_bits_in_a_typeable_alphabet(session):
    notice, apps = _notice_at_monday()
    now = shanghai(2026, 12, 8, 10, 0)
    numbers = [_submit(notice, apps[0], now, mobile=f"1380013800{i}").case_number for i in range(4)]
    assert all(CASE_RE.match(n) for n in numbers), numbers
    # 16 characters of a 32-letter alphabet: 80 bits, no 0/O or 1/I to misread.
    random_part = [n.removeprefix("YY2026-").replace("-", "") for n in numbers]
    assert [len(r) for r in random_part] == [16] * 4
    assert len(objections.CASE_ALPHABET) == 32 and not set("01IO") & set(objections.CASE_ALPHABET)
    assert len(set(numbers)) == 4


def test_duplicate_is_refused_politely_with_its_case(session):
    notice, apps = _notice_at_monday()
    now = shanghai(2026, 12, 8, 10, 0)
    first = _submit(notice, apps[0], now)
    # The same words with other spacing are the same objection.
    with pytest.raises(NoticeError) as same:
        _submit(notice, apps[0], now, reason="  " + REASON + "\n")
    assert same.value.key == "duplicate"
    assert first.case_number in same.value.message
    other = _submit(notice, apps[0], now, reason=REASON + "另附照片。")
    assert other.id != first.id


def test_honeypot_and_too_fast_forms_are_refused(session):
    notice, apps = _notice_at_monday()
    now = shanghai(2026, 12, 8, 10, 0)
    with pytest.raises(NoticeError) as bot:
        _submit(notice, apps[0], now, honeypot="http://spam.example")
    assert bot.value.key == "rejected"
    with pytest.raises(NoticeError) as fast:
        _submit(notice, apps[0], now, filled_seconds=2)
    assert fast.value.key == "too_fast"
    with pytest.raises(NoticeError) as forged:
        _submit(notice, apps[0], now, filled_seconds=None)
    assert forged.value.key == "too_fast"
    assert session.scalar(sa.select(sa.func.count(Objection.id))) == 0


def test_flood_limits_per_mobile_and_per_address_are_counted_in_the_database(app, session):
    app.config.update(NOTICE_OBJECTIONS_PER_MOBILE_DAY=3, NOTICE_OBJECTIONS_PER_ADDRESS_HOUR=4)
    notice, apps = _notice_at_monday()
    now = shanghai(2026, 12, 8, 10, 0)
    for i in range(3):
        _submit(notice, apps[0], now, reason=f"{REASON} 第{i}点", ip="10.0.0.1")
    with pytest.raises(NoticeError) as mobile:
        _submit(notice, apps[1], now, reason=REASON, ip="10.0.0.2")
    assert mobile.value.key == "too_many_from_mobile"
    # A day later the same mobile may object again.
    _submit(notice, apps[1], now + timedelta(days=1, seconds=1), ip="10.0.0.2")
    # From one address: the fourth within the hour passes, the fifth is refused.
    _submit(notice, apps[1], now, mobile="13900139000", ip="10.0.0.1")
    with pytest.raises(NoticeError) as address:
        _submit(notice, apps[1], now, mobile="13900139001", ip="10.0.0.1")
    assert address.value.key == "too_many_from_address"
    # Another person on another network is not affected.
    _submit(notice, apps[1], now, mobile="13900139002", ip="10.0.0.9")


def test_only_candidates_on_this_notice_can_be_objected_to(session):
    notice, apps = _notice_at_monday()
    other_campaign, others = with_candidates(1, year=2027)
    assert objections.objectable(session, notice, others[0].id) is None
    assert objections.objectable(session, notice, apps[0].id) is apps[0]


def test_evidence_is_stored_and_a_wrong_type_refuses_everything(session):
    notice, apps = _notice_at_monday()
    now = shanghai(2026, 12, 8, 10, 0)
    case = _submit(notice, apps[0], now, files=[(io.BytesIO(PDF), "证据.pdf")])
    assert [f.stored_file.kind for f in case.files] == ["pdf"]
    with pytest.raises(UploadRejected):
        _submit(
            notice,
            apps[1],
            now,
            files=[(io.BytesIO(PDF), "a.pdf"), (io.BytesIO(b"MZ\x90\x00 not a pdf"), "b.pdf")],
        )


def test_status_lookup_needs_case_and_mobile(session):
    notice, apps = _notice_at_monday()
    case = _submit(notice, apps[0], shanghai(2026, 12, 8, 10, 0))
    assert objections.lookup_case(session, case.case_number, "13800138000") is case
    assert objections.lookup_case(session, case.case_number.lower(), " 13800138000 ") is case
    # Typed on a phone: lower case, spaces for dashes, or no separators at all.
    spaced = case.case_number.lower().replace("-", " ")
    assert objections.lookup_case(session, spaced, "13800138000") is case
    compact = case.case_number.replace("-", "")
    assert objections.lookup_case(session, compact, "13800138000") is case
    assert objections.lookup_case(session, case.case_number, "13800138001") is None
    other = "X" if case.case_number[-1] != "X" else "Y"  # the random tail may end in X
    assert objections.lookup_case(session, case.case_number[:-1] + other, "13800138000") is None


def test_case_flow_assign_findings_dismiss_with_reply_and_mail(session):
    notice, apps = _notice_at_monday()
    office = make_user(Role.OFFICE)
    investigator = make_user(Role.OFFICE, name="钱调查")
    case = _submit(notice, apps[0], shanghai(2026, 12, 8, 10, 0), email="zhao@example.com")
    objections.assign_investigator(session, case, office, investigator, case.lock_version)
    assert case.status is ObjectionStatus.INVESTIGATING
    objections.record_findings(session, case, office, "现场核查：数据一致。", case.lock_version)
    objections.decide_objection(
        session,
        case,
        office,
        upheld=False,
        reply="经核实，数据有据可查。",
        lock_version=case.lock_version,
    )
    assert case.status is ObjectionStatus.DISMISSED
    assert apps[0].state is ApplicationState.CANDIDATE
    mail = session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == "zhao@example.com")
    ).one()
    assert case.case_number in mail.subject and "经核实，数据有据可查。" in mail.body
    actions = session.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.object_type == "objection", AuditEntry.object_id == str(case.id))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == [
        "objection.submit",
        "objection.investigate",
        "objection.assign",
        "objection.findings",
        "objection.dismissed",
    ]


def test_only_office_users_investigate(session):
    notice, apps = _notice_at_monday()
    case = _submit(notice, apps[0], shanghai(2026, 12, 8, 10, 0))
    with pytest.raises(NoticeError) as refused:
        objections.assign_investigator(
            session, case, make_user(Role.OFFICE), make_user(Role.EXPERT)
        )
    assert refused.value.key == "not_investigator"


def test_upheld_disqualifies_through_the_workflow_and_republishes(session):
    notice, apps = _notice_at_monday()
    office = make_user(Role.OFFICE)
    case = _submit(notice, apps[0], shanghai(2026, 12, 8, 10, 0))
    now = shanghai(2026, 12, 14, 10, 0)  # after the window: the investigation may run on
    objections.decide_objection(session, case, office, upheld=True, reply="情况属实。", now=now)
    assert apps[0].state is ApplicationState.DISQUALIFIED
    assert notice.revision == 1 and notice.revised_at == now
    moves = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "application.disqualify")
    ).all()
    assert len(moves) == 1 and case.case_number in moves[0].reason
    with pytest.raises(NoticeError) as again:
        objections.decide_objection(session, case, office, upheld=False, reply="x")
    assert again.value.key == "already_decided_case"


def test_a_stale_decision_is_refused(session):
    notice, apps = _notice_at_monday()
    office = make_user(Role.OFFICE)
    case = _submit(notice, apps[0], shanghai(2026, 12, 8, 10, 0))
    seen = case.lock_version
    objections.record_findings(session, case, office, "初步核查", seen)
    with pytest.raises(NoticeError) as stale:
        objections.decide_objection(
            session, case, office, upheld=True, reply="属实", lock_version=seen
        )
    assert stale.value.key == "stale"
    assert apps[0].state is ApplicationState.CANDIDATE


def test_a_decision_needs_a_reply(session):
    notice, apps = _notice_at_monday()
    case = _submit(notice, apps[0], shanghai(2026, 12, 8, 10, 0))
    with pytest.raises(NoticeError) as refused:
        objections.decide_objection(session, case, make_user(Role.OFFICE), upheld=True, reply=" ")
    assert refused.value.key == "reply_required"


# --- through the pages --------------------------------------------------------------------------


def _form(**overrides):
    data = {
        "name": "赵敏",
        "mobile": "13800138000",
        "email": "",
        "reason": REASON,
        "website": "",
        "started": form_started_token(time.time() - 60),
    }
    data.update(overrides)
    return data


def test_objecting_through_the_page_gives_a_case_number(client, session):
    campaign, notice, apps = open_now()
    url = f"/notice/{campaign.year}/candidates/{apps[0].id}/objection"
    page = client.get(url)
    assert page.status_code == 200 and 'name="website"' in page.get_data(as_text=True)
    data = _form(evidence=(io.BytesIO(PDF), "证据.pdf"))
    response = client.post(url, data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    number = re.search(r'data-testid="case-number">([^<]+)<', html).group(1)
    case = session.scalars(sa.select(Objection).where(Objection.case_number == number)).one()
    assert [f.stored_file.filename for f in case.files] == ["证据.pdf"]


def test_invalid_mobile_is_shown_beside_the_field_and_nothing_is_lost(client, session):
    campaign, notice, apps = open_now()
    url = f"/notice/{campaign.year}/candidates/{apps[0].id}/objection"
    response = client.post(url, data=_form(mobile="1380013800"))
    html = response.get_data(as_text=True)
    assert "Enter an 11-digit mainland mobile number" in html
    assert REASON in html and 'value="赵敏"' in html
    assert session.scalar(sa.select(sa.func.count(Objection.id))) == 0


def test_page_refuses_clearly_outside_the_window(client, session):
    campaign, apps = with_candidates(1)
    notice = open_notice(campaign, opens_at=shanghai(2026, 1, 5, 9, 0))  # long closed
    notice.opens_at = shanghai(2026, 1, 5, 9, 0)
    url = f"/notice/{campaign.year}/candidates/{apps[0].id}/objection"
    html = client.get(url).get_data(as_text=True)
    assert "The public notice is closed (it ran until 2026-01-09 23:59:59" in html
    response = client.post(url, data=_form())
    assert "The public notice is closed" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Objection.id))) == 0


def test_status_page_reveals_nothing_with_a_wrong_mobile(client, session):
    campaign, notice, apps = open_now()
    case = objection(notice, apps[0])
    office = make_user(Role.OFFICE)
    objections.decide_objection(session, case, office, upheld=False, reply="不予支持，理由如下。")
    wrong = client.post(
        "/notice/objections/status", data={"case": case.case_number, "mobile": "13800138009"}
    ).get_data(as_text=True)
    assert "No case matches" in wrong and "不予支持" not in wrong and "Dismissed" not in wrong
    right = client.post(
        "/notice/objections/status", data={"case": case.case_number, "mobile": "13800138000"}
    ).get_data(as_text=True)
    assert "不予支持，理由如下。" in right and "Dismissed" in right


def test_office_decides_through_the_page(client, login, session):
    campaign, notice, apps = open_now()
    case = objection(notice, apps[0])
    login(make_user(Role.OFFICE))
    assert case.case_number in client.get("/notice/manage/objections").get_data(as_text=True)
    response = client.post(
        f"/notice/manage/objections/{case.id}/decide",
        data={"decision": "upheld", "reply": "经核实属实。", "lock_version": case.lock_version},
        follow_redirects=True,
    )
    assert "the candidate is withdrawn" in response.get_data(as_text=True)
    session.refresh(apps[0])
    assert apps[0].state is ApplicationState.DISQUALIFIED


# --- through the API ------------------------------------------------------------------------------


def test_api_status_needs_no_token_and_hides_a_wrong_mobile(client, session):
    campaign, notice, apps = open_now()
    case = objection(notice, apps[0])
    ok = client.get(f"/api/v1/notice/objections/status?case={case.case_number}&mobile=13800138000")
    assert ok.status_code == 200
    assert ok.get_json() == {
        "case_number": case.case_number,
        "status": "received",
        "received_at": ok.get_json()["received_at"],
        "decided_at": None,
        "reply": None,
    }
    assert "no-store" in ok.headers["Cache-Control"]
    wrong = client.get(
        f"/api/v1/notice/objections/status?case={case.case_number}&mobile=13800138001"
    )
    assert wrong.status_code == 404


def test_api_office_lists_and_decides(client, session):
    from tests.api.helpers import auth_headers

    campaign, notice, apps = open_now()
    case = objection(notice, apps[0])
    office = auth_headers(make_user(Role.OFFICE))
    listed = client.get("/api/v1/notice/objections?status=received", headers=office).get_json()
    assert [o["case_number"] for o in listed["data"]] == [case.case_number]
    assert client.get("/api/v1/notice/objections").status_code == 401
    other = auth_headers(make_user(Role.ORGANIZER))
    assert client.get("/api/v1/notice/objections", headers=other).status_code == 403
    url = f"/api/v1/notice/objections/{case.id}/decision"
    body = {"decision": "dismissed", "reply": "不予支持。", "lock_version": case.lock_version}
    stale = client.post(url, json={**body, "lock_version": 99}, headers=office)
    assert stale.status_code == 409
    done = client.post(url, json=body, headers=office)
    assert done.status_code == 200 and done.get_json()["status"] == "dismissed"
    again = client.post(url, json=body, headers=office)
    assert again.status_code == 409


def test_objection_list_runs_the_same_statements_for_1_and_12_cases(client, login, session):
    from tests.querycount import counting

    campaign, notice, apps = open_now(3)
    login(make_user(Role.OFFICE))
    objection(notice, apps[0], evidence=True)

    def statements() -> int:
        session.expunge_all()
        with counting(session.connection()) as seen:
            response = client.get("/notice/manage/objections")
        assert response.status_code == 200
        return len(seen)

    notice_id, app_ids = notice.id, [a.id for a in apps]
    one = statements()
    notice = session.get(PublicNotice, notice_id)
    apps = [session.get(Application, i) for i in app_ids]
    for i in range(11):
        objection(notice, apps[i % 3], mobile=f"139000000{i:02d}", evidence=i % 2 == 0)
    assert statements() == one


def test_the_objection_list_is_paged_newest_first(client, login, session, monkeypatch):
    monkeypatch.setattr(rows, "OBJECTIONS_PER_PAGE", 2)
    campaign, notice, apps = open_now(3)
    cases = [
        objection(notice, apps[i], mobile=f"1390000010{i}", evidence=i == 2).case_number
        for i in range(3)
    ]
    login(make_user(Role.OFFICE))
    first = client.get("/notice/manage/objections").get_data(as_text=True)
    assert cases[2] in first and cases[1] in first and cases[0] not in first
    assert first.index(cases[2]) < first.index(cases[1])
    assert "/notice/manage/objections?page=2" in first and "Previous page" not in first
    second = client.get("/notice/manage/objections?page=2").get_data(as_text=True)
    assert cases[0] in second and cases[1] not in second
    assert f"{apps[0].title} · {apps[0].organization.name}" in second
    assert "Next page" not in second and "/notice/manage/objections?page=1" in second
