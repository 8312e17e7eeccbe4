"""The office's dynamic management pages, and certificates as Word documents."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import sqlalchemy as sa
from docx import Document

from portal.accounts.models import Role
from portal.campaigns.models import CategoryKind
from portal.honours import certificates, rules
from portal.honours.documents.certificate import render_certificate, render_certificates
from portal.honours.models import Complaint, Inspection
from tests.factories import make_user
from tests.honours.helpers import PNG, awarded, four_organizers, make_honour

ID_NUMBER = "310101199212121234"


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_the_office_records_an_unannounced_inspection_with_evidence(client, login, session):
    honour = make_honour()
    office = make_user(Role.OFFICE)
    session.flush()
    login(office)
    response = client.post(
        f"/honours/{honour.id}/inspections",
        data={
            "inspected_on": "2026-11-02",
            "unannounced": "1",
            "inspector": "王明",
            "findings": "窗口服务规范",
            "score": "92.5",
            "files": [(io.BytesIO(PNG), "现场照片.png")],
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "The inspection is recorded." in response.get_data(as_text=True)
    inspection = session.scalar(sa.select(Inspection).where(Inspection.honour_id == honour.id))
    assert (inspection.inspected_on, inspection.unannounced, str(inspection.score)) == (
        date(2026, 11, 2),
        True,
        "92.5",
    )
    assert inspection.files[0].stored_file.filename == "现场照片.png"
    download = client.get(f"/honours/{honour.id}/inspections/files/{inspection.files[0].id}")
    assert download.status_code == 200
    assert download.data == PNG


def test_a_text_file_named_png_is_refused_and_nothing_is_recorded(client, login, session):
    honour = make_honour()
    session.flush()
    login(make_user(Role.OFFICE))
    response = client.post(
        f"/honours/{honour.id}/inspections",
        data={
            "inspected_on": "2026-11-02",
            "unannounced": "0",
            "inspector": "王明",
            "findings": "见附件",
            "files": [(io.BytesIO(b"just some text, not an image" * 20), "photo.png")],
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "photo.png" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Inspection.id))) == 0


def test_the_office_records_a_verified_complaint(client, login, session):
    honour = make_honour()
    session.flush()
    login(make_user(Role.OFFICE))
    client.post(
        f"/honours/{honour.id}/complaints",
        data={
            "received_on": "2026-11-03",
            "source": "12345市民热线",
            "content": "窗口人员态度生硬",
            "verified": "y",
        },
    )
    complaint = session.scalar(sa.select(Complaint).where(Complaint.honour_id == honour.id))
    assert (complaint.source, complaint.verified) == ("12345市民热线", True)


def test_a_future_inspection_date_is_refused(client, login, session):
    honour = make_honour()
    session.flush()
    login(make_user(Role.OFFICE))
    response = client.post(
        f"/honours/{honour.id}/inspections",
        data={"inspected_on": "2099-01-01", "unannounced": "1", "inspector": "王", "findings": "x"},
        follow_redirects=True,
    )
    assert "The date cannot be in the future." in response.get_data(as_text=True)


def _data(session, honour):
    names = certificates.organizer_names(session)
    return certificates.certificate_data(honour, names, lambda c: f"https://portal.test/v?c={c}")


def test_a_certificate_names_holder_unit_campaign_organizers_number_and_code(session):
    four_organizers()
    honour = make_honour(
        kind=CategoryKind.INDIVIDUAL,
        person_name="张晓红",
        id_number=ID_NUMBER,
        mobile="13900001111",
    )
    filename, mimetype, data = render_certificate(_data(session, honour))
    text = _text(data)
    assert filename == f"{honour.certificate_number}-张晓红.docx"
    assert mimetype.endswith("wordprocessingml.document")
    for shown in (
        "荣誉证书",
        "张晓红",
        honour.unit_name,
        f"{honour.campaign.year}年度",
        honour.campaign.theme,
        "市质量协会　市总工会　团市委　市妇联",
        honour.certificate_number,
        honour.verification_code,
        f"https://portal.test/v?c={honour.verification_code}",
    ):
        assert shown in text, shown
    assert ID_NUMBER not in text and "13900001111" not in text


def test_the_campaign_file_holds_every_certificate_that_is_not_revoked(session):
    campaign, honours = awarded(3)
    honours[0].revoked_at, honours[0].revocation_reason = honours[1].created_at, "撤销"
    items = certificates.campaign_certificates(session, campaign, lambda c: c)
    assert [i.certificate_number for i in items] == ["FWMX-2026-I-001", "FWMX-2026-T-002"]
    _name, _type, data = render_certificates(campaign.year, items)
    assert _text(data).count("荣誉证书") == 2


def test_the_holders_unit_downloads_its_own_certificate(client, login, session):
    honour = make_honour()
    session.flush()
    login(make_user(Role.ENTERPRISE, organization=honour.organization))
    response = client.get(f"/honours/{honour.id}/certificate")
    assert response.status_code == 200
    assert honour.verification_code in _text(response.data)
    assert f"http://portal.test/honours/verify?code={honour.verification_code}" in _text(
        response.data
    )


def test_the_office_list_shows_each_honour_with_its_status_and_links(client, login, session):
    today = rules.shanghai_today()
    active = make_honour(team_name="延安路营业厅班组")
    expired = make_honour(awarded_on=today - timedelta(days=3 * 366), team_name="徐家汇站班组")
    revoked = make_honour(revoked_on=today, team_name="南京东路窗口班组")
    login(make_user(Role.OFFICE))
    page = client.get("/honours/manage?lang=en").get_data(as_text=True)
    for honour, status in ((active, "Active"), (expired, "Expired"), (revoked, "Revoked")):
        row = re.search(rf"<tr>\s*<td><a href=\"/honours/{honour.id}\">.*?</tr>", page, re.S)
        assert row is not None, honour.certificate_number
        cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
        assert cells == [
            f'<a href="/honours/{honour.id}">{honour.certificate_number}</a>',
            honour.holder_name,
            honour.unit_name,
            honour.category.name_en,
            honour.valid_until.isoformat(),
            status,
            f'<a href="/honours/{honour.id}/certificate">Certificate</a>',
        ]
    expired_only = client.get("/honours/manage?status=expired").get_data(as_text=True)
    assert expired.certificate_number in expired_only
    assert active.certificate_number not in expired_only
    assert revoked.certificate_number not in expired_only
