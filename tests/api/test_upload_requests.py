"""Raw-body uploads on /api/v1: malformed requests, cut-off files and left-over spool files."""

from __future__ import annotations

import os
import time

import pytest
import sqlalchemy as sa

from portal.files.models import StoredFile
from portal.storage import get_storage
from tests.api.helpers import auth_headers
from tests.applications.helpers import PDF, make_draft


def _put(client, app, *, query="category=evidence&filename=a.pdf", data=PDF, **kwargs):
    headers = {
        **auth_headers(app.created_by),
        "Content-Type": "application/octet-stream",
        **kwargs.pop("headers", {}),
    }
    return client.put(
        f"/api/v1/applications/{app.id}/files?{query}", data=data, headers=headers, **kwargs
    )


def _stored(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(StoredFile))


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "en",
            "The X-Filename header must be the file's name in percent-encoded UTF-8, for "
            "example %E6%9D%90%E6%96%99.pdf.",
        ),
        ("zh", "X-Filename 请求头须为百分号编码的 UTF-8 文件名，例如 %E6%9D%90%E6%96%99.pdf。"),
    ],
)
def test_a_file_name_that_is_not_percent_encoded_utf8_is_a_400_in_the_callers_language(
    client, session, lang, message
):
    app = make_draft()

    response = _put(
        client,
        app,
        query="category=evidence",
        headers={"X-Filename": "%E6%9D%90%FF.pdf", "Accept-Language": lang},
    )

    assert response.status_code == 400
    assert response.get_json()["error"] == {
        "code": "invalid_parameter",
        "message": message,
        "parameter": "X-Filename",
    }
    assert _stored(session) == 0


def test_a_percent_encoded_utf8_file_name_is_kept(client, session):
    app = make_draft()
    response = _put(
        client, app, query="category=evidence", headers={"X-Filename": "%E6%9D%90%E6%96%99.pdf"}
    )
    assert response.status_code == 201
    assert response.get_json()["filename"] == "材料.pdf"


@pytest.mark.parametrize(
    ("length", "status", "code"),
    [
        (None, 411, "length_required"),
        ("12abc", 400, "invalid_header"),
        ("-5", 400, "invalid_header"),
    ],
)
def test_a_missing_or_non_numeric_content_length_is_refused(client, session, length, status, code):
    app = make_draft()
    environ = {"CONTENT_LENGTH": length or ""}  # "": the header is not there

    response = _put(client, app, headers={"Accept-Language": "en"}, environ_overrides=environ)

    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["parameter"] == "Content-Length"
    assert _stored(session) == 0


def test_an_unknown_category_is_a_400(client, session):
    app = make_draft()
    response = _put(
        client, app, query="category=selfie&filename=a.pdf", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "category"


def test_a_pdf_cut_off_before_its_end_is_refused_even_when_the_body_is_whole(client, session):
    app = make_draft()
    cut = PDF[: PDF.index(b"%%EOF")]

    response = _put(client, app, data=cut, headers={"Accept-Language": "en"})

    assert response.status_code == 422
    assert response.get_json()["error"]["reason"] == "truncated"
    assert response.get_json()["error"]["message"] == (
        "The file “a.pdf” is cut off: it does not end as a complete PDF file does. Nothing "
        "was kept; upload the whole file again."
    )
    assert _stored(session) == 0


def test_spool_files_left_by_a_dead_worker_are_removed_by_the_next_upload(client, session):
    spool_dir = get_storage().spool_dir
    spool_dir.mkdir(parents=True, exist_ok=True)
    stale = spool_dir / "portal-upload-left-by-a-killed-worker"
    stale.write_bytes(b"%PDF-1.4\n" + b"0" * 1000)
    yesterday = time.time() - 24 * 60 * 60
    os.utime(stale, (yesterday, yesterday))
    in_progress = spool_dir / "portal-upload-still-arriving"
    in_progress.write_bytes(b"%PDF-1.4\n")

    response = _put(client, make_draft())

    assert response.status_code == 201
    assert sorted(p.name for p in spool_dir.iterdir()) == ["portal-upload-still-arriving"]
