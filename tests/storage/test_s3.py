"""S3 storage over real HTTP against moto's standalone server on loopback."""

import hashlib
import io
import os
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.files.service import delete_stored_file, send_stored_file, store_upload
from portal.storage import S3Storage, get_storage
from tests.conftest import make_test_config

pytestmark = pytest.mark.s3

MB = 1024 * 1024
PRESIGN_SECONDS = 300


@pytest.fixture
def app_config(database_url, tmp_path, s3_server):
    return make_test_config(
        database_url,
        tmp_path / "instance",
        STORAGE_BACKEND="s3",
        S3_BUCKET=s3_server.bucket,
        S3_PREFIX="portal-test/",
        S3_ENDPOINT_URL=s3_server.endpoint_url,
        S3_REGION=s3_server.region,
        S3_PRESIGN_SECONDS=PRESIGN_SECONDS,
    )


def big_pdf(size: int) -> bytes:
    head = b"%PDF-1.7\n%"
    return head + os.urandom(size - len(head))


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
    from portal.files.service import UploadRejected

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
