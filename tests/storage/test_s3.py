"""S3 storage over real HTTP against moto's standalone server on loopback."""

import hashlib
import io
import os
import urllib.request
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from portal.files.models import StoredFile
from portal.files.service import (
    UploadRejected,
    delete_stored_file,
    send_stored_file,
    store_upload,
)
from portal.storage import S3Storage, get_storage
from tests.conftest import make_test_config
from tests.storage.samples import make_docx

pytestmark = pytest.mark.s3

MB = 1024 * 1024
PRESIGN_SECONDS = 300


@pytest.fixture
def app_config(database_url, tmp_path, s3_server):
    return make_test_config(
        database_url,
        tmp_path / "instance",
        **s3_server.portal_settings(),
        S3_PRESIGN_SECONDS=PRESIGN_SECONDS,
    )


def big_pdf(size: int) -> bytes:
    head, tail = b"%PDF-1.7\n%", b"\n%%EOF\n"
    return head + os.urandom(size - len(head) - len(tail)) + tail


def test_20_mb_upload_goes_up_in_parts_and_comes_back_through_a_presigned_url(
    app, session, s3_server
):
    data = big_pdf(20 * MB)
    storage = get_storage()
    assert isinstance(storage, S3Storage)

    stored = store_upload(
        session,
        io.BytesIO(data),
        filename="证实性材料.pdf",
        allowed_kinds={"pdf"},
        max_bytes=25 * MB,
    )

    assert (stored.backend, stored.size) == ("s3", len(data))
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    head = s3_server.client().head_object(Bucket=s3_server.bucket, Key="portal-test/" + stored.key)
    assert head["ContentLength"] == len(data)
    assert head["ETag"].strip('"').endswith("-3")  # 8 + 8 + 4 MiB parts

    with app.test_request_context():
        response = send_stored_file(stored)
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "private, no-store"
    url = response.headers["Location"]
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert parts.netloc == urlsplit(s3_server.endpoint_url).netloc
    assert parts.path == f"/{s3_server.bucket}/portal-test/{stored.key}"
    assert query["X-Amz-Expires"] == [str(PRESIGN_SECONDS)]
    assert query["response-content-disposition"] == [
        'attachment; filename="download.pdf"; '
        "filename*=UTF-8''%E8%AF%81%E5%AE%9E%E6%80%A7%E6%9D%90%E6%96%99.pdf"
    ]
    with urllib.request.urlopen(url, timeout=30) as download:
        assert download.read() == data
        assert download.headers["Content-Type"] == "application/pdf"

    session.commit()
    delete_stored_file(session, stored)
    session.commit()
    assert not storage.exists(stored.key)


def test_a_stream_without_a_file_behind_it_is_uploaded_in_parts_too(app, s3_server):
    storage = get_storage()
    data = os.urandom(17 * MB)

    storage.save_stream("direct/stream", io.BytesIO(data))

    head = s3_server.client().head_object(Bucket=s3_server.bucket, Key="portal-test/direct/stream")
    assert head["ETag"].strip('"').endswith("-3")
    with storage.open("direct/stream") as body:
        assert body.read() == data
    storage.delete("direct/stream")
    assert not storage.exists("direct/stream")


def test_a_rejected_upload_leaves_nothing_in_the_bucket(app, session, s3_server):
    before = s3_server.client().list_objects_v2(Bucket=s3_server.bucket).get("KeyCount")
    with pytest.raises(UploadRejected):
        store_upload(
            session,
            io.BytesIO(b"plain text " * 1000),
            filename="x.pdf",
            allowed_kinds={"pdf"},
            max_bytes=MB,
        )
    after = s3_server.client().list_objects_v2(Bucket=s3_server.bucket).get("KeyCount")
    assert after == before


@pytest.fixture
def s3_calls(app):
    """The names of the S3 operations the storage's boto3 client makes, in order."""
    calls: list[str] = []

    def record(model, **_):
        calls.append(model.name)

    events = get_storage().client.meta.events
    events.register("before-call.s3", record)
    yield calls
    events.unregister("before-call.s3", record)


def bucket_state(s3_server) -> tuple[list[str], list[str]]:
    """(object keys, keys of unfinished multipart uploads) under the test prefix."""
    client = s3_server.client()
    objects = client.list_objects_v2(Bucket=s3_server.bucket, Prefix="portal-test/")
    uploads = client.list_multipart_uploads(Bucket=s3_server.bucket, Prefix="portal-test/")
    return (
        [o["Key"] for o in objects.get("Contents", [])],
        [u["Key"] for u in uploads.get("Uploads", [])],
    )


def big_zip(member_size: int) -> bytes:
    """A ZIP that is no Office file, with its central directory behind `member_size` bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("photos/all.bin", os.urandom(member_size))
    return out.getvalue()


def test_a_file_refused_at_its_end_aborts_the_parts_already_sent(app, session, s3_server, s3_calls):
    before = bucket_state(s3_server)
    data = big_zip(20 * MB)

    with pytest.raises(UploadRejected) as info:
        store_upload(
            session,
            io.BytesIO(data),
            filename="材料.docx",
            allowed_kinds={"pdf", "docx"},
            max_bytes=25 * MB,
        )

    assert (info.value.key, info.value.params) == (
        "unrecognised",
        {"filename": "材料.docx", "ole": False},
    )
    # Parts 1 and 2 went up while the body was read; the 4 MiB rest was never sent.
    assert s3_calls == [
        "CreateMultipartUpload",
        "UploadPart",
        "UploadPart",
        "AbortMultipartUpload",
    ]
    assert bucket_state(s3_server) == before
    assert before[1] == []
    assert session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0


class EndlessPdf(io.RawIOBase):
    def __init__(self):
        self.bytes_read = 0

    def readable(self):
        return True

    def read(self, n=-1):
        chunk = (b"%PDF-1.7\n" + b"0" * n)[:n] if self.bytes_read == 0 else b"0" * n
        self.bytes_read += n
        return chunk


def test_a_file_over_the_cap_is_stopped_mid_stream_and_its_upload_aborted(
    app, session, s3_server, s3_calls
):
    before = bucket_state(s3_server)
    body = EndlessPdf()
    limit = 20 * MB + 5

    with pytest.raises(UploadRejected) as info:
        store_upload(session, body, filename="big.pdf", allowed_kinds={"pdf"}, max_bytes=limit)

    assert (info.value.key, info.value.params) == (
        "too_large",
        {"filename": "big.pdf", "limit": limit},
    )
    assert body.bytes_read == 21 * MB
    assert s3_calls[0] == "CreateMultipartUpload"
    assert s3_calls[-1] == "AbortMultipartUpload"
    assert s3_calls.count("UploadPart") == 2
    assert bucket_state(s3_server) == before
    assert before[1] == []
    assert session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0


def test_a_file_smaller_than_one_part_goes_up_in_a_single_put(app, session, s3_server, s3_calls):
    data = big_pdf(8 * MB - 1)

    stored = store_upload(
        session, io.BytesIO(data), filename="scan.pdf", allowed_kinds={"pdf"}, max_bytes=8 * MB
    )

    assert s3_calls == ["PutObject"]
    head = s3_server.client().head_object(Bucket=s3_server.bucket, Key="portal-test/" + stored.key)
    assert "-" not in head["ETag"]
    assert (head["ContentLength"], head["ContentType"]) == (len(data), "application/pdf")
    assert (stored.size, stored.sha256) == (len(data), hashlib.sha256(data).hexdigest())


def test_the_stored_size_and_sha256_match_the_bytes_in_the_bucket(
    app, session, s3_server, s3_calls
):
    data = big_pdf(2 * 8 * MB + 12_345)

    stored = store_upload(
        session, io.BytesIO(data), filename="a.pdf", allowed_kinds={"pdf"}, max_bytes=20 * MB
    )

    assert s3_calls == [
        "CreateMultipartUpload",
        "UploadPart",
        "UploadPart",
        "UploadPart",
        "CompleteMultipartUpload",
    ]
    assert (stored.size, stored.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    with get_storage().open(stored.key) as body:
        in_bucket = body.read()
    assert (len(in_bucket), hashlib.sha256(in_bucket).hexdigest()) == (stored.size, stored.sha256)
    objects, uploads = bucket_state(s3_server)
    assert (f"portal-test/{stored.key}" in objects, uploads) == (True, [])


def test_a_large_word_file_named_xlsx_gets_the_word_content_type(app, session, s3_server):
    out = io.BytesIO(make_docx())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/media/image1.bin", os.urandom(17 * MB))
    data = out.getvalue()

    stored = store_upload(
        session,
        io.BytesIO(data),
        filename="表.xlsx",
        allowed_kinds={"docx", "xlsx"},
        max_bytes=20 * MB,
    )

    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert (stored.kind, stored.filename, stored.content_type) == ("docx", "表.docx", docx_type)
    head = s3_server.client().head_object(Bucket=s3_server.bucket, Key="portal-test/" + stored.key)
    assert (head["ContentType"], head["ContentLength"]) == (docx_type, len(data))
