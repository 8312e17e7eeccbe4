import hashlib
import io
import os
import re
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from werkzeug.exceptions import NotFound, UnsupportedMediaType

from portal.accounts.models import Role
from portal.audit import AuditEntry
from portal.files.intake import UploadRequestInvalid, request_upload_filename, stream_request_body
from portal.files.models import StoredFile
from portal.files.service import (
    UploadRejected,
    delete_stored_file,
    sanitise_filename,
    send_stored_file,
    store_upload,
)
from portal.storage import CHUNK_SIZE, get_storage
from tests.factories import make_user
from tests.storage.samples import make_docx, make_ole, make_pdf, make_png, make_xlsx

ALL_KINDS = {"pdf", "jpeg", "png", "docx", "xlsx"}
MB = 1024 * 1024


def stored_objects(app) -> list[str]:
    root = app.config["STORAGE_LOCAL_ROOT"]
    return [
        os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files
    ]


def file_count(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(StoredFile))


def test_store_upload_keeps_size_sha256_kind_and_uploader(app, session):
    user = make_user(Role.ENTERPRISE)
    data = make_pdf(padding=5 * MB)

    stored = store_upload(
        session,
        io.BytesIO(data),
        filename="C:\\扫描件\\盖章申报表.pdf",
        allowed_kinds=ALL_KINDS,
        max_bytes=10 * MB,
        actor=user,
    )

    assert stored.id is not None
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert (stored.backend, stored.kind, stored.content_type) == ("local", "pdf", "application/pdf")
    assert stored.filename == "盖章申报表.pdf"
    assert stored.created_by_id == user.id
    assert re.fullmatch(r"uploads/20\d\d/[0-9a-f]{32}", stored.key)
    assert stored_objects(app) == [stored.key]
    with get_storage().open(stored.key) as fh:
        assert fh.read() == data
    entry = session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "file.store")).one()
    assert (entry.object_id, entry.actor_id, entry.after["sha256"]) == (
        str(stored.id),
        user.id,
        stored.sha256,
    )


def test_a_word_file_named_pdf_is_stored_as_word(session):
    stored = store_upload(
        session,
        io.BytesIO(make_docx()),
        filename="申报表.pdf",
        allowed_kinds=ALL_KINDS,
        max_bytes=MB,
        prefix="forms",
    )
    assert stored.kind == "docx"
    assert stored.filename == "申报表.docx"
    assert stored.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert stored.key.startswith("forms/")


def test_xlsx_is_accepted_when_allowed(session):
    stored = store_upload(
        session,
        io.BytesIO(make_xlsx()),
        filename="survey.xlsx",
        allowed_kinds={"xlsx"},
        max_bytes=MB,
    )
    assert (stored.kind, stored.filename) == ("xlsx", "survey.xlsx")


def rejection(session, data: bytes, filename: str, **kwargs) -> UploadRejected:
    kwargs.setdefault("allowed_kinds", ALL_KINDS)
    kwargs.setdefault("max_bytes", 4 * MB)
    with pytest.raises(UploadRejected) as info:
        store_upload(session, io.BytesIO(data), filename=filename, **kwargs)
    return info.value


def test_a_text_file_named_pdf_is_unrecognised(app, session):
    error = rejection(session, b"%PD not really\n" * 100, "report.pdf")
    assert (error.key, error.params) == ("unrecognised", {"filename": "report.pdf", "ole": False})
    with force_locale("en"):
        assert error.message == (
            "The content of “report.pdf” is not a PDF, JPEG, PNG, Word (.docx) or Excel (.xlsx) "
            "file, whatever its name says."
        )
    assert file_count(session) == 0
    assert stored_objects(app) == []


def test_an_encrypted_office_file_is_refused_with_a_reason(session):
    error = rejection(session, make_ole(), "加密.docx")
    assert (error.key, error.params) == ("unrecognised", {"filename": "加密.docx", "ole": True})
    with force_locale("en"):
        assert error.message == (
            "The file “加密.docx” is a password-protected or old-format (.doc, .xls) Office "
            "file; remove the password and save it as .docx or .xlsx."
        )


def test_a_kind_the_category_does_not_allow_is_refused(session):
    error = rejection(session, make_png(), "photo.png", allowed_kinds={"pdf", "docx"})
    assert (error.key, error.params["kind"], error.params["allowed"]) == (
        "type_not_allowed",
        "png",
        ["pdf", "docx"],
    )
    with force_locale("en"):
        assert error.message == (
            "The file “photo.png” is a PNG file; only PDF, Word (.docx) files are accepted here."
        )


def test_an_empty_file_is_refused(session):
    error = rejection(session, b"", "blank.pdf")
    assert (error.key, error.params) == ("empty", {"filename": "blank.pdf"})


class EndlessPdf(io.RawIOBase):
    """A body that never ends; records how much was read and how big the spool file got."""

    def __init__(self, spool_dir):
        self.spool_dir = spool_dir
        self.bytes_read = 0
        self.largest_spool = 0

    def readable(self):
        return True

    def read(self, n=-1):
        for name in os.listdir(self.spool_dir):
            size = os.path.getsize(os.path.join(self.spool_dir, name))
            self.largest_spool = max(self.largest_spool, size)
        n = CHUNK_SIZE if n is None or n < 0 else n
        chunk = (b"%PDF-1.7\n" + b"0" * n)[:n] if self.bytes_read == 0 else b"0" * n
        self.bytes_read += len(chunk)
        return chunk


def test_a_too_large_file_is_stopped_early_and_nothing_is_stored(app, session):
    spool_dir = get_storage().spool_dir
    body = EndlessPdf(spool_dir)
    limit = 3 * MB + 5

    with pytest.raises(UploadRejected) as info:
        store_upload(session, body, filename="big.pdf", allowed_kinds=ALL_KINDS, max_bytes=limit)

    assert (info.value.key, info.value.params) == (
        "too_large",
        {"filename": "big.pdf", "limit": limit},
    )
    assert body.bytes_read <= limit + CHUNK_SIZE
    # Observed at each read, while the previous chunk may still be being written.
    assert 2 * MB <= body.largest_spool <= limit
    assert os.listdir(spool_dir) == []  # the spool file is gone
    assert file_count(session) == 0
    assert stored_objects(app) == []
    with force_locale("en"):
        assert info.value.message == (
            "The file “big.pdf” is larger than the limit of 3 MB per file."
        )


def test_a_file_over_what_is_left_of_the_packet_is_refused(session):
    error = rejection(
        session, make_pdf(padding=2 * MB), "more.pdf", packet_remaining=MB, packet_limit=20 * MB
    )
    assert (error.key, error.params) == (
        "packet_too_large",
        {"filename": "more.pdf", "limit": 20 * MB, "remaining": MB},
    )
    with force_locale("en"):
        assert error.message == (
            "The file “more.pdf” would take the application packet over its limit of 20 MB; "
            "1 MB is left."
        )


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("C:\\Users\\王\\申报表.PDF", "pdf", "申报表.PDF"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("a\u202egpj.pdf", "pdf", "agpj.pdf"),
        ("form.pdf", "docx", "form.docx"),
        ("照片.JPEG", "jpeg", "照片.JPEG"),
        ("报告.final", "pdf", "报告.final.pdf"),
        ("  ...  ", "png", "file.png"),
        ("tab\tand\nnewline.pdf", None, "tabandnewline.pdf"),
        ("x" * 300 + ".pdf", "pdf", "x" * 251 + ".pdf"),
    ],
)
def test_sanitise_filename(raw, kind, expected):
    assert sanitise_filename(raw, kind) == expected


def test_local_download_streams_with_type_length_and_chinese_name(app, session):
    data = make_pdf(padding=3 * MB)
    stored = store_upload(
        session, io.BytesIO(data), filename="申报表.pdf", allowed_kinds=ALL_KINDS, max_bytes=4 * MB
    )

    with app.test_request_context():
        response = send_stored_file(stored)
        body = b"".join(response.response)
        response.close()

    assert response.status_code == 200
    assert body == data
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Length"] == str(len(data))
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E7%94%B3%E6%8A%A5%E8%A1%A8.pdf"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"


def test_deleting_removes_the_row_now_and_the_bytes_at_commit(app, session):
    stored = store_upload(
        session, io.BytesIO(make_png()), filename="p.png", allowed_kinds=ALL_KINDS, max_bytes=MB
    )
    session.commit()
    key = stored.key

    delete_stored_file(session, stored)
    assert file_count(session) == 0
    assert get_storage().exists(key)  # not yet committed
    session.commit()

    assert not get_storage().exists(key)
    assert session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()[-2:] == [
        "file.store",
        "file.delete",
    ]


def test_a_rolled_back_delete_keeps_the_bytes(app, session):
    stored = store_upload(
        session, io.BytesIO(make_png()), filename="p.png", allowed_kinds=ALL_KINDS, max_bytes=MB
    )
    session.commit()

    delete_stored_file(session, stored)
    session.rollback()
    session.commit()

    assert get_storage().exists(stored.key)
    assert file_count(session) == 1


def test_a_raw_octet_stream_body_is_stored_without_form_parsing(app, session):
    data = make_pdf(padding=2 * MB)
    with app.test_request_context(
        "/upload",
        method="PUT",
        data=data,
        content_type="application/octet-stream",
        headers={"X-Filename": quote("证实性材料.pdf")},
    ):
        stored = store_upload(
            session,
            stream_request_body(),
            filename=request_upload_filename(),
            allowed_kinds=ALL_KINDS,
            max_bytes=4 * MB,
        )
    assert (stored.filename, stored.size) == ("证实性材料.pdf", len(data))
    assert stored.sha256 == hashlib.sha256(data).hexdigest()


def test_raw_upload_needs_octet_stream_and_a_filename(app):
    with (
        app.test_request_context("/upload", method="PUT", data=b"x", content_type="text/plain"),
        pytest.raises(UnsupportedMediaType),
    ):
        stream_request_body()
    with (
        app.test_request_context(
            "/upload", method="PUT", data=b"x", content_type="application/octet-stream"
        ),
        pytest.raises(UploadRequestInvalid) as missing,
    ):
        request_upload_filename()
    assert (missing.value.code, missing.value.key) == (400, "filename_missing")
    with app.test_request_context("/upload?filename=a.png", method="PUT", data=b"x"):
        assert request_upload_filename() == "a.png"


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_download_that_is_never_read_holds_no_open_file(app, session):
    stored = store_upload(
        session, io.BytesIO(make_png()), filename="p.png", allowed_kinds=ALL_KINDS, max_bytes=MB
    )
    before = open_descriptors()
    with app.test_request_context():
        response = send_stored_file(stored, as_attachment=False)
    assert open_descriptors() == before
    assert response.headers["Content-Disposition"] == 'inline; filename="p.png"'
    assert b"".join(response.response) == make_png()
    assert open_descriptors() == before


def test_a_download_whose_bytes_are_gone_is_not_found(app, session):
    stored = store_upload(
        session, io.BytesIO(make_png()), filename="p.png", allowed_kinds=ALL_KINDS, max_bytes=MB
    )
    get_storage().delete(stored.key)
    with app.test_request_context(), pytest.raises(NotFound):
        send_stored_file(stored)


class CountingBody(io.RawIOBase):
    """A body of `size` bytes starting with `head`; records how much of it was read."""

    def __init__(self, head: bytes, size: int):
        self.head, self.size, self.bytes_read = head, size, 0

    def readable(self):
        return True

    def read(self, n=-1):
        n = min(CHUNK_SIZE if n is None or n < 0 else n, self.size - self.bytes_read)
        chunk = (self.head + b"x" * n)[:n] if self.bytes_read == 0 else b"x" * n
        self.bytes_read += n
        return chunk


@pytest.mark.parametrize(
    ("head", "allowed", "key", "params"),
    [
        (b"plain text, not a scan", ALL_KINDS, "unrecognised", {"ole": False}),
        (make_ole(), ALL_KINDS, "unrecognised", {"ole": True}),
        (make_png(), {"pdf"}, "type_not_allowed", {"kind": "png", "allowed": ["pdf"]}),
    ],
    ids=["text", "ole", "png-where-pdf"],
)
def test_a_file_whose_first_bytes_rule_it_out_is_refused_after_one_chunk(
    app, session, head, allowed, key, params
):
    body = CountingBody(head, 30 * MB)

    with pytest.raises(UploadRejected) as info:
        store_upload(session, body, filename="x.pdf", allowed_kinds=allowed, max_bytes=40 * MB)

    assert (info.value.key, info.value.params) == (key, {"filename": "x.pdf", **params})
    assert body.bytes_read == CHUNK_SIZE
    assert os.listdir(get_storage().spool_dir) == []
    assert file_count(session) == 0
    assert stored_objects(app) == []


def test_a_word_file_where_only_excel_is_allowed_is_refused_as_word(session):
    error = rejection(session, make_docx(), "form.docx", allowed_kinds={"xlsx"})
    assert (error.key, error.params["kind"]) == ("type_not_allowed", "docx")
