"""Uploads against real servers and in parallel: a cut-off body is never kept, caps always hold.

Cut-off bodies go over a raw socket to the portal under Werkzeug's threaded server and under
gunicorn (with the shipped configuration), on local storage and on S3 (moto's server). The
races fire parallel uploads at one packet through the API and the page.
"""

from __future__ import annotations

import gc
import io
import json
import os
import socket
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import create_app
from portal.accounts.service import create_api_token
from portal.applications.models import ApplicationFile
from portal.db import get_session
from portal.files.models import StoredFile
from portal.reference import seed_reference
from portal.storage import get_storage
from tests.applications.helpers import PDF, make_draft, open_campaign
from tests.concurrency.conftest import client_for, race, seeded
from tests.concurrency.servers import gunicorn_server, request, werkzeug_server
from tests.conftest import make_test_config, reset_schema
from tests.storage.conftest import s3_server  # noqa: F401 - the fixture, for the S3 runs

MB = 1024 * 1024


def pdf_of(size: int) -> bytes:
    """A whole PDF of exactly `size` bytes."""
    head, tail = b"%PDF-1.4\n%", b"\ntrailer<<>>\n%%EOF\n"
    return head + b"0" * (size - len(head) - len(tail)) + tail


# --- a body that stops before its Content-Length ------------------------------------------------


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def served(request, concurrency_database_url, tmp_path) -> Iterator[Flask]:
    """The portal on the concurrency database, with local or S3 storage under a fresh prefix."""
    extra = {"BABEL_DEFAULT_LOCALE": "en"}
    if request.param == "s3":
        s3 = request.getfixturevalue("s3_server")
        extra |= {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": s3.bucket,
            "S3_PREFIX": f"cut-{os.urandom(6).hex()}/",
            "S3_ENDPOINT_URL": s3.endpoint_url,
        }
    config = make_test_config(concurrency_database_url, tmp_path / "instance", **extra)
    config["SERVER_NAME"] = None
    app = create_app(config)
    app.config["TEST_CONFIG"] = config
    reset_schema(app.extensions["portal.db"]["engine"])
    with seeded(app) as session:
        seed_reference(session)
    yield app
    app.extensions["portal.db"]["engine"].dispose()


def stored_anything(app: Flask) -> dict:
    """Rows and stored objects (with S3 uploads in progress, or spool files on local disk)."""
    storage = get_storage(app)
    with app.app_context():
        rows = get_session().scalar(sa.select(sa.func.count()).select_from(StoredFile))
        links = get_session().scalar(sa.select(sa.func.count()).select_from(ApplicationFile))
    if storage.backend == "s3":
        listed = storage.client.list_objects_v2(Bucket=storage.bucket, Prefix=storage.prefix)
        uploads = storage.client.list_multipart_uploads(
            Bucket=storage.bucket, Prefix=storage.prefix
        )
        objects = [o["Key"] for o in listed.get("Contents", [])]
        objects += [u["Key"] for u in uploads.get("Uploads", [])]
    else:
        root = app.config["STORAGE_LOCAL_ROOT"]
        objects = [
            os.path.relpath(os.path.join(d, f), root)
            for d, _, files in os.walk(root)
            for f in files
        ]
    return {"rows": rows, "links": links, "objects": objects}


NOTHING = {"rows": 0, "links": 0, "objects": []}


def _draft_and_token(app: Flask) -> tuple[int, str]:
    with seeded(app) as session:
        draft = make_draft()
        _token, secret = create_api_token(session, draft.created_by, "cut")
        return draft.id, secret


def _put_head(draft_id: int, secret: str, length: int, name: str = "cut.pdf") -> bytes:
    return (
        f"PUT /api/v1/applications/{draft_id}/files?category=evidence&filename={name}&lang=en"
        " HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: Bearer {secret}\r\n"
        f"Content-Type: application/octet-stream\r\nContent-Length: {length}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()


def _serve(server: str, app: Flask):
    if server == "gunicorn":
        return gunicorn_server(app.config["TEST_CONFIG"])
    return werkzeug_server(app)


@pytest.mark.parametrize("server", ["werkzeug", "gunicorn"])
def test_a_raw_upload_cut_off_before_its_content_length_is_never_stored(served, server):
    draft_id, secret = _draft_and_token(served)
    body = b"%PDF-1.4\n" + b"0" * (3 * MB - 9)

    with _serve(server, served) as port:
        status, answer = request(port, _put_head(draft_id, secret, 10 * MB), body)
        whole_status, _ = request(port, _put_head(draft_id, secret, len(PDF), "whole.pdf"), PDF)

    assert status == 400
    error = json.loads(answer)["error"]
    assert error["code"] == "incomplete_upload"
    assert error["message"] == (
        f"The upload ended after {3 * MB} of the {10 * MB} bytes announced, so nothing was "
        "kept. Send the file again."
    )
    assert whole_status == 201  # the same server still takes a whole file
    left = stored_anything(served)
    assert (left["rows"], left["links"], len(left["objects"])) == (1, 1, 1)  # no spool file


# Werkzeug's form parser leaves its spool of the cut-off part to the garbage collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("server", ["werkzeug", "gunicorn"])
def test_a_form_upload_cut_off_before_its_closing_boundary_is_never_stored(served, server):
    with seeded(served):
        draft = make_draft()
        draft_id, email = draft.id, draft.created_by.email
    with _serve(server, served) as port:
        cookie = _login_cookie(port, email)
        boundary = "cutoffboundary"
        part = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="category"\r\n\r\n'
            f'evidence\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="cut.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode() + pdf_of(MB)
        head = (
            f"POST /applications/{draft_id}/files HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Cookie: {cookie}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {len(part) + 64}\r\nConnection: close\r\n\r\n"
        ).encode()
        status, _ = request(port, head, part)
    assert status == 400
    assert stored_anything(served) == NOTHING
    gc.collect()  # Werkzeug's spool of the cut-off part is closed here, not in a later test


def _login_cookie(port: int, email: str) -> str:
    from tests.factories import PASSWORD

    form = f"email={email.replace('@', '%40')}&password={PASSWORD}".encode()
    head = (
        "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(form)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head + form)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    cookies = [
        line.split(b":", 1)[1].split(b";", 1)[0].strip().decode()
        for line in answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
        if line.lower().startswith(b"set-cookie:")
    ]
    assert cookies, answer[:500]
    return "; ".join(cookies)


# --- the packet's caps under parallel uploads ---------------------------------------------------


def _file_totals(app: Flask, draft_id: int) -> tuple[int, int]:
    with app.app_context():
        return (
            get_session()
            .execute(
                sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(StoredFile.size), 0))
                .select_from(ApplicationFile)
                .join(StoredFile, StoredFile.id == ApplicationFile.stored_file_id)
                .where(ApplicationFile.application_id == draft_id)
            )
            .one()
        )


def _objects(app: Flask) -> list[str]:
    root = app.config["STORAGE_LOCAL_ROOT"]
    return [f for d, _, files in os.walk(root) if ".spool" not in d for f in files]


def test_thirty_parallel_api_uploads_to_a_packet_capped_at_twenty_keep_twenty(racing_app):
    with seeded(racing_app) as session:
        draft = make_draft(campaign=open_campaign(max_files=20))
        _token, secret = create_api_token(session, draft.created_by, "race")
        draft_id = draft.id
    client = client_for(racing_app)
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/octet-stream"}

    def upload(i: int) -> tuple[int, str | None]:
        response = client.put(
            f"/api/v1/applications/{draft_id}/files?category=evidence&filename=s{i}.pdf&lang=en",
            data=PDF,
            headers=headers,
        )
        assert response.mimetype == "application/json", response.get_data(as_text=True)
        return response.status_code, response.get_json().get("error", {}).get("code")

    results = race(30, upload)

    assert sorted(results, key=str).count((201, None)) == 20
    assert sorted(r for r in results if r[0] != 201) == [(422, "too_many_files")] * 10
    assert _file_totals(racing_app, draft_id) == (20, 20 * len(PDF))
    assert len(_objects(racing_app)) == 20  # the refused ones' bytes are gone too


def test_parallel_large_uploads_through_api_and_page_never_pass_the_packet_size_cap(
    racing_app,
):
    with seeded(racing_app) as session:
        campaign = open_campaign(max_file_mb=1, max_packet_mb=1, max_files=20)
        draft = make_draft(campaign=campaign)
        _token, secret = create_api_token(session, draft.created_by, "race")
        draft_id, owner = draft.id, draft.created_by
    api = client_for(racing_app)
    page = client_for(racing_app, owner)
    # Under the test client's 500 KB threshold, above which it leaves its multipart spool open.
    body = pdf_of(400 * 1024)
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/octet-stream"}

    def upload(i: int) -> int:
        if i % 2:
            response = page.post(
                f"/applications/{draft_id}/files",
                data={"category": "evidence", "file": (io.BytesIO(body), f"p{i}.pdf")},
                content_type="multipart/form-data",
            )
            assert response.status_code == 302
            return response.status_code
        response = api.put(
            f"/api/v1/applications/{draft_id}/files?category=evidence&filename=a{i}.pdf",
            data=body,
            headers=headers,
        )
        assert response.status_code in (201, 422), response.get_data(as_text=True)
        return response.status_code

    race(6, upload)

    count, total = _file_totals(racing_app, draft_id)
    assert (count, total) == (2, 2 * len(body))  # 800 KB of the 1 MB; a third would pass it
    assert len(_objects(racing_app)) == 2
