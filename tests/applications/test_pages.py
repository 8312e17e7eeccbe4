"""The enterprise's pages: edit with members, uploads, submit twice, downloads, Word in and out."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest

from portal.accounts.models import Role
from portal.applications.models import ApplicationState, FileCategory
from portal.campaigns.models import CategoryKind
from portal.organizations.models import ChannelLevel, OrgKind
from tests.applications.helpers import (
    PDF,
    PNG,
    TEAM_FIELDS,
    attach,
    make_complete,
    make_draft,
    make_id_number,
    make_submitted,
    open_campaign,
)
from tests.factories import industry, make_org, make_user


def _edit_data(app, **extra):
    data = {**TEAM_FIELDS, "lock_version": str(app.lock_version), "narrative": "服" * 10}
    data.update(
        {
            "members-0-name": "李红",
            "members-0-id_number": make_id_number(date(1986, 1, 20), female=True),
            "members-1-name": "张伟",
            "members-1-sex": "male",
            "members-1-birth_date": "1996-12-01",
            "members-2-name": "删掉的人",
            "members-2-sex": "male",
            "members-2-birth_date": "1990-01-01",
            "members-2-remove": "y",
        }
    )
    data.update(extra)
    return data


def test_enterprise_creates_a_team_draft_from_the_home_page(client, login, session):
    user = make_user(Role.ENTERPRISE)
    campaign = open_campaign()
    login(user)
    home = client.get("/home").get_data(as_text=True)
    assert "/applications/new" in home
    team = next(c for c in campaign.categories if c.kind is CategoryKind.TEAM)
    response = client.post("/applications/new", data={"category_id": str(team.id)})
    assert response.status_code == 302
    app_id = int(re.search(r"/applications/(\d+)/edit", response.headers["Location"]).group(1))
    assert f"/applications/{app_id}" in client.get("/applications/").get_data(as_text=True)


def test_saving_the_form_computes_figures_and_drops_removed_rows(client, login, session):
    app = make_draft()
    login(app.created_by)
    response = client.post(f"/applications/{app.id}/edit", data=_edit_data(app))
    assert response.status_code == 302
    session.refresh(app)
    assert [m.name for m in app.members] == ["李红", "张伟"]
    assert (app.member_count, app.women_count, str(app.women_share)) == (2, 1, "50.0")
    page = client.get(f"/applications/{app.id}/edit").get_data(as_text=True)
    assert 'data-testid="narrative-count">10<' in page


def test_a_bad_id_number_is_shown_beside_the_member_and_nothing_is_saved(client, login, session):
    app = make_draft()
    login(app.created_by)
    response = client.post(
        f"/applications/{app.id}/edit",
        data=_edit_data(app, **{"members-0-id_number": "110105194912310021"}),
        headers={"Accept-Language": "en"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The check character (the last one) of this ID number is wrong" in page
    session.refresh(app)
    assert app.members == [] and app.team_name is None


def test_a_stale_form_is_refused_with_a_message(client, login, session):
    app = make_draft()
    login(app.created_by)
    stale = _edit_data(app)
    client.post(f"/applications/{app.id}/edit", data=_edit_data(app, team_name="第一次"))
    refused = client.post(f"/applications/{app.id}/edit", data={**stale, "team_name": "第二次"})
    session.refresh(app)
    assert app.team_name == "第一次"
    page = client.get(refused.headers["Location"], headers={"Accept-Language": "en"})
    assert "Someone saved this application after you opened it" in page.get_data(as_text=True)


def _upload(client, app, content, name, category="evidence"):
    return client.post(
        f"/applications/{app.id}/files",
        data={"category": category, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_types_are_recognised_by_content_not_by_name(client, login, session):
    app = make_draft()
    login(app.created_by)
    _upload(client, app, b"just text, not a pdf", "report.pdf")
    assert app.files == []
    _upload(client, app, PDF, "looks-like-an-image.png", category="photo")
    session.refresh(app)
    assert app.files == []  # a PDF is not a photo
    _upload(client, app, PNG, "photo.pdf", category="photo")
    session.refresh(app)
    assert [(f.category, f.stored_file.kind) for f in app.files] == [(FileCategory.PHOTO, "png")]


def test_a_rejected_upload_leaves_the_draft_intact(client, login, session):
    app = make_complete()
    login(app.created_by)
    before = (app.team_name, app.narrative, len(app.files), app.lock_version)
    response = _upload(client, app, b"", "empty.pdf")
    assert response.status_code == 302
    session.refresh(app)
    assert (app.team_name, app.narrative, len(app.files), app.lock_version) == before


def test_caps_per_file_per_packet_and_on_the_number_of_files(session):
    from portal.applications.service import ApplicationError
    from portal.files.service import UploadRejected

    campaign = open_campaign(max_file_mb=1, max_packet_mb=2, max_files=3)
    app = make_draft(campaign=campaign)

    def pdf(size: int) -> bytes:  # a whole PDF of `size` bytes, padded inside
        return PDF.replace(b"trailer", b"%" + b"0" * (size - len(PDF) - 2) + b"\ntrailer")

    big = pdf(len(PDF) + 1024 * 1024)  # just over 1 MB
    with pytest.raises(UploadRejected) as err:
        attach(app, FileCategory.EVIDENCE, big)
    assert err.value.key == "too_large"
    almost = pdf(1024 * 1024 - 200)  # leaves 400 bytes after two
    attach(app, FileCategory.EVIDENCE, almost)
    attach(app, FileCategory.EVIDENCE, almost)
    with pytest.raises(UploadRejected) as err:
        attach(app, FileCategory.EVIDENCE, pdf(len(PDF) + 1000))
    assert err.value.key == "packet_too_large"
    attach(app, FileCategory.EVIDENCE, PDF)
    with pytest.raises(ApplicationError) as err:
        attach(app, FileCategory.EVIDENCE, PDF)
    assert err.value.key == "too_many_files"
    assert len(app.files) == 3


def test_submitting_twice_through_the_page_makes_one_version(client, login, session):
    app = make_complete()
    login(app.created_by)
    first = client.post(f"/applications/{app.id}/submit")
    second = client.post(f"/applications/{app.id}/submit", headers={"Accept-Language": "en"})
    assert first.status_code == second.status_code == 302
    session.refresh(app)
    assert app.state is ApplicationState.SUBMITTED
    assert [v.number for v in app.versions] == [1]
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "already submitted" in page


def test_withdraw_through_the_page(client, login, session):
    app = make_submitted()
    login(app.created_by)
    client.post(f"/applications/{app.id}/withdraw")
    session.refresh(app)
    assert app.state is ApplicationState.DRAFT


def _reader(role: str, app):
    if role == "enterprise":
        return app.created_by
    if role == "other_enterprise":
        return make_user(Role.ENTERPRISE)
    if role == "channel_reviewer":
        return make_user(Role.CHANNEL_REVIEWER)  # district channel of the packet's district
    if role == "other_channel":
        org = make_org(
            OrgKind.CHANNEL,
            channel_level=ChannelLevel.INDUSTRY,
            district=None,
            industry=industry("railway"),
        )
        return make_user(Role.CHANNEL_REVIEWER, organization=org)
    if role == "industry_channel":
        org = make_org(
            OrgKind.CHANNEL,
            channel_level=ChannelLevel.INDUSTRY,
            district=None,
            industry=industry("finance"),
        )
        return make_user(Role.CHANNEL_REVIEWER, organization=org)
    return make_user(Role(role))


@pytest.mark.parametrize(
    "role, draft_ok, submitted_ok",
    [
        ("enterprise", True, True),
        ("other_enterprise", False, False),
        ("channel_reviewer", False, True),
        ("industry_channel", False, True),
        ("other_channel", False, False),
        ("office", False, True),
        ("organizer", False, False),
        ("expert", False, False),
        ("admin", False, False),
    ],
)
def test_download_permission_for_every_role(client, login, session, role, draft_ok, submitted_ok):
    draft = make_draft()
    draft_file = attach(draft, FileCategory.EVIDENCE)
    submitted = make_submitted(draft.created_by)
    sub_file = submitted.files[0]
    login(_reader(role, submitted))
    assert _fetch(client, draft.id, draft_file.stored_file_id) == (
        (200, PDF) if draft_ok else (404, None)
    )
    assert _fetch(client, submitted.id, sub_file.stored_file_id) == (
        (200, PDF) if submitted_ok else (404, None)
    )
    # A file of one packet cannot be fetched through another packet's address.
    assert _fetch(client, submitted.id, draft_file.stored_file_id) == (404, None)


def _fetch(client, app_id, stored_file_id):
    response = client.get(f"/applications/{app_id}/files/{stored_file_id}")
    try:
        return response.status_code, (response.data if response.status_code == 200 else None)
    finally:
        response.close()


def test_version_pages_stay_readable_after_return_and_resubmission(client, login, session):
    from portal.applications import service

    app = make_submitted()
    reviewer = make_user(Role.CHANNEL_REVIEWER)
    service.return_for_revision(session, app.id, reviewer, "请补充材料")
    service.update_application(session, app, app.created_by, fields={"team_name": "新班组名"})
    service.submit_application(session, app.id, app.created_by)
    session.commit()
    login(reviewer)
    v1 = client.get(f"/applications/{app.id}/versions/1").get_data(as_text=True)
    v2 = client.get(f"/applications/{app.id}/versions/2").get_data(as_text=True)
    assert "外滩营业部服务班组" in v1 and "请补充材料" in v1
    assert "新班组名" in v2
    # The reviewer sees ID numbers masked.
    assert "3101**********" in v1


def test_word_out_gives_a_docx(client, login, session):
    app = make_complete()
    login(app.created_by)
    response = client.get(f"/applications/{app.id}/form.docx")
    assert response.status_code == 200
    assert response.data[:2] == b"PK"
    assert "attachment" in response.headers["Content-Disposition"]


def test_word_in_with_a_malformed_docx_changes_nothing(client, login, session):
    app = make_complete()
    login(app.created_by)
    before = (app.team_name, app.lock_version, len(app.members))
    response = client.post(
        f"/applications/{app.id}/word-in",
        data={"file": (io.BytesIO(b"PK\x03\x04 broken zip"), "form.docx")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 302
    session.refresh(app)
    assert (app.team_name, app.lock_version, len(app.members)) == before


def test_word_out_then_in_round_trips_the_form(client, login, session):
    from portal.applications.formdata import application_form_data
    from portal.documents.application_form import render_application_form

    source = make_complete(kind=CategoryKind.INDIVIDUAL)
    _name, _mime, content = render_application_form(application_form_data(source))
    target = make_draft(kind=CategoryKind.INDIVIDUAL, campaign=source.campaign)
    login(target.created_by)
    response = client.post(
        f"/applications/{target.id}/word-in",
        data={"file": (io.BytesIO(content), "form.docx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    session.refresh(target)
    assert target.person_name == "王芳"
    assert target.id_number == source.id_number
    assert (target.birth_date, target.female, target.age) == (date(1990, 5, 17), True, 36)
