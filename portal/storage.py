"""Where uploaded files live: local disk under instance/files, or an S3 bucket through boto3."""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
import uuid
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Protocol
from urllib.parse import quote

from flask import Flask, current_app

if TYPE_CHECKING:
    from botocore.config import Config

CHUNK_SIZE = 1024 * 1024
# S3 parts: 8 MiB each. Parts in flight are read from the spool file as they are sent, so
# each costs little memory (about 2 MB measured); four keep a distant endpoint busy.
S3_PART_SIZE = 8 * 1024 * 1024
S3_MAX_CONCURRENCY = 4
S3_MAX_IN_MEMORY_PARTS = 4


def s3_client_config() -> Config:
    """botocore settings of the portal's S3 client (also used by the upload benchmark).

    Every part carries a CRC32 checksum header, which the signature covers and S3 verifies,
    so the body itself is not signed (botocore already skips that over HTTPS when a checksum
    is sent; this also skips it for a plain-HTTP endpoint, where it would read and SHA-256
    every part once more before sending it).
    """
    # why: boto3 loads only when the S3 backend is in use
    from botocore.config import Config

    return Config(
        signature_version="s3v4",
        retries={"mode": "standard"},
        s3={"payload_signing_enabled": False},
        max_pool_connections=max(10, S3_MAX_CONCURRENCY + 2),
    )


class ByteStream(Protocol):
    """What an upload is read from: a file, a spool, or a request body held to its length."""

    def read(self, size: int = -1, /) -> bytes: ...


class Storage(Protocol):
    """A flat namespace of keys ("uploads/2026/ab12...") holding immutable byte streams."""

    # Read-only to callers, so LocalStorage's Path and S3Storage's None both satisfy it.
    @property
    def backend(self) -> str: ...

    @property
    def spool_dir(self) -> Path | None:
        """Where uploads are spooled before save_stream (None: the system's temporary
        directory)."""

    def save_stream(self, key: str, stream: IO[bytes], content_type: str | None = None) -> None:
        """Copy the stream to the key in chunks, never holding it whole in memory."""

    def open(self, key: str) -> BinaryIO:
        """A readable binary stream of the stored bytes; the caller closes it."""

    def delete(self, key: str) -> None:
        """Remove the key; removing a missing key is not an error."""

    def exists(self, key: str) -> bool: ...

    def url_for_download(self, key: str, filename: str, content_type: str) -> str | None:
        """A short-lived URL the browser may fetch directly, or None: stream through the app."""


def content_disposition(filename: str, as_attachment: bool = True) -> str:
    """A Content-Disposition value with an ASCII fallback and the UTF-8 name (RFC 6266/5987)."""
    disposition = "attachment" if as_attachment else "inline"
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""

    def ascii_part(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return "".join(c for c in text if c.isalnum() or c in " -_()[]").strip()

    fallback_stem = ascii_part(stem) or "download"
    fallback_ext = ascii_part(ext)
    fallback = f"{fallback_stem}.{fallback_ext}" if fallback_ext else fallback_stem
    if fallback == filename:
        return f'{disposition}; filename="{fallback}"'
    quoted = quote(filename, safe="!#$&+-.^_`|~")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quoted}"


def _check_key(key: str) -> PurePosixPath:
    """Keys are relative POSIX paths without empty parts, parts starting with '.', or '\\'."""
    if not key or "\\" in key or "\x00" in key or key.startswith("/"):
        raise ValueError(f"invalid storage key: {key!r}")
    path = PurePosixPath(key)
    if any(part == "" or part.startswith(".") for part in key.split("/")):
        raise ValueError(f"invalid storage key: {key!r}")
    return path


class LocalStorage:
    """Files under one root directory; writes are atomic (temporary file, then os.replace)."""

    backend = "local"

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()
        # Uploads are spooled here, on the same disk, so storing them is a rename, not a copy.
        self.spool_dir = self.root / ".spool"

    def path_for(self, key: str) -> Path:
        path = (self.root / _check_key(key)).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValueError(f"storage key escapes the storage root: {key!r}")
        return path

    def save_stream(self, key: str, stream: IO[bytes], content_type: str | None = None) -> None:
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        source = _same_file_path(stream)
        if source is not None and os.stat(source).st_dev == os.stat(path.parent).st_dev:
            # A spooled upload on the same disk: link it into place instead of copying.
            tmp_name = str(path.parent / f".incoming-{uuid.uuid4().hex}")
            os.fsync(stream.fileno())
            os.link(source, tmp_name)
            try:
                os.replace(tmp_name, path)
            except BaseException:
                Path(tmp_name).unlink(missing_ok=True)
                raise
            return
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(stream, out, CHUNK_SIZE)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        return open(self.path_for(key), "rb")  # noqa: SIM115 - the caller closes it

    def delete(self, key: str) -> None:
        self.path_for(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()

    def url_for_download(self, key: str, filename: str, content_type: str) -> str | None:
        return None


class S3Storage:
    """Objects in one bucket under a prefix; credentials come from boto3's usual chain."""

    backend = "s3"
    spool_dir = None

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        presign_seconds: int = 120,
    ) -> None:
        # why: boto3 loads only when the S3 backend is in use
        import boto3
        from boto3.s3.transfer import TransferConfig

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.presign_seconds = presign_seconds
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region or None,
            config=s3_client_config(),
        )
        self.transfer_config = TransferConfig(
            multipart_threshold=S3_PART_SIZE,
            multipart_chunksize=S3_PART_SIZE,
            max_concurrency=S3_MAX_CONCURRENCY,
            preferred_transfer_client="classic",
        )
        # Not a constructor argument in boto3, but honoured by s3transfer: it bounds how many
        # parts of a non-file stream are read into memory at once (default 10 x 8 MiB).
        self.transfer_config.max_in_memory_upload_chunks = S3_MAX_IN_MEMORY_PARTS

    def object_key(self, key: str) -> str:
        return self.prefix + str(_check_key(key))

    def begin_spooled_upload(self, key: str, spool: IO[bytes]) -> SpooledS3Upload:
        """Start sending a spool file that is still being written; see SpooledS3Upload."""
        return SpooledS3Upload(self, key, spool)

    def save_stream(self, key: str, stream: IO[bytes], content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else None
        path = _same_file_path(stream)
        if path is not None:
            # A file on disk: s3transfer reads each part lazily from the path, so no part
            # is copied into memory and parts go up concurrently.
            self.client.upload_file(
                path,
                self.bucket,
                self.object_key(key),
                ExtraArgs=extra,
                Config=self.transfer_config,
            )
        else:
            # Any other stream: parts are buffered, at most S3_MAX_IN_MEMORY_PARTS at once.
            self.client.upload_fileobj(
                stream,
                self.bucket,
                self.object_key(key),
                ExtraArgs=extra,
                Config=self.transfer_config,
            )

    def open(self, key: str) -> BinaryIO:
        response = self.client.get_object(Bucket=self.bucket, Key=self.object_key(key))
        body: BinaryIO = response["Body"]  # botocore's StreamingBody: read, iterate, close
        return body

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.object_key(key))

    def exists(self, key: str) -> bool:
        # why: boto3 loads only when the S3 backend is in use
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.object_key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def url_for_download(self, key: str, filename: str, content_type: str) -> str | None:
        url: str = self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": self.object_key(key),
                "ResponseContentDisposition": content_disposition(filename, as_attachment=True),
                "ResponseContentType": content_type,
            },
            ExpiresIn=self.presign_seconds,
        )
        return url


class _FileRegion:
    """A seekable read-only view of bytes [start, start + length) of a file descriptor.

    Reads use os.pread, so several regions of one file are read at once from different
    threads without sharing a file position, and a part is never held whole in memory.
    """

    def __init__(self, fd: int, start: int, length: int) -> None:
        self.fd, self.start, self.length, self.position = fd, start, length, 0

    def __len__(self) -> int:
        return self.length

    def read(self, n: int | None = -1) -> bytes:
        left = self.length - self.position
        n = left if n is None or n < 0 else min(n, left)
        if n <= 0:
            return b""
        data = os.pread(self.fd, n, self.start + self.position)
        self.position += len(data)
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.position, os.SEEK_END: self.length}[whence]
        self.position = max(0, min(self.length, base + offset))
        return self.position

    def tell(self) -> int:
        return self.position

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True


class SpooledS3Upload:
    """Sends a spool file to S3 while it is still being written (receiving overlaps sending).

    The writer reports with `written(size)` how many bytes are on disk; each full 8 MiB
    part is then uploaded as a multipart part by a background worker, read back from the
    spool file's region (at most S3_MAX_CONCURRENCY parts in flight; parts waiting their turn
    cost no memory). `complete(size, content_type)` sends the rest and completes the upload;
    a file smaller than one part is sent with a single PUT then. `abort()` waits for parts in
    flight and aborts the multipart upload, so that neither an object nor stored parts remain.
    """

    def __init__(self, storage: S3Storage, key: str, spool: IO[bytes]) -> None:
        self.client = storage.client
        self.bucket = storage.bucket
        self.object_key = storage.object_key(key)
        self.fd = spool.fileno()
        self.content_type: str | None = None
        self.upload_id: str | None = None
        self.sent = 0  # bytes handed to part uploads
        self.parts: list[Future[dict[str, Any]]] = []
        self.finished = False  # the object exists
        self._workers = ThreadPoolExecutor(
            max_workers=S3_MAX_CONCURRENCY, thread_name_prefix="upload-part"
        )

    def written(self, size: int, content_type: str | None = None) -> None:
        """Bytes [0, size) are on disk: start uploading every full part among them.

        `content_type` is what the head of the file says it is; it is given to the
        multipart upload when that starts. Raises the error of a part that failed.
        """
        for part in self.parts:
            error = part.exception() if part.done() else None
            if error is not None:
                raise error
        while size - self.sent >= S3_PART_SIZE:
            if self.upload_id is None:
                self._create(content_type)
            self._submit(self.sent, S3_PART_SIZE)

    def complete(self, size: int, content_type: str) -> None:
        """All `size` bytes are on disk and accepted: finish the object."""
        if self.upload_id is None:
            self._workers.shutdown()
            body = _FileRegion(self.fd, 0, size)
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.object_key,
                Body=body,
                ContentType=content_type,
                ChecksumAlgorithm="CRC32",
            )
            self.finished = True
            return
        if size > self.sent:
            self._submit(self.sent, size - self.sent)
        parts = [part.result() for part in self.parts]
        self._workers.shutdown()
        self.client.complete_multipart_upload(
            Bucket=self.bucket,
            Key=self.object_key,
            UploadId=self.upload_id,
            MultipartUpload={"Parts": parts},
        )
        self.upload_id, self.finished = None, True
        if content_type != self.content_type:
            # The head (a ZIP) could not tell .docx from .xlsx; put the right type on.
            self.client.copy_object(
                Bucket=self.bucket,
                Key=self.object_key,
                CopySource={"Bucket": self.bucket, "Key": self.object_key},
                ContentType=content_type,
                MetadataDirective="REPLACE",
            )

    def abort(self) -> None:
        """Leave nothing behind: drop parts not yet started, wait for those in flight, then
        abort the multipart upload (or delete the object if it was already completed)."""
        self._workers.shutdown(wait=True, cancel_futures=True)
        if self.finished:
            self.client.delete_object(Bucket=self.bucket, Key=self.object_key)
            self.finished = False
        if self.upload_id is not None:
            self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=self.object_key, UploadId=self.upload_id
            )
            self.upload_id = None

    def _create(self, content_type: str | None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        response = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=self.object_key, ChecksumAlgorithm="CRC32", **extra
        )
        self.upload_id = response["UploadId"]
        self.content_type = content_type

    def _submit(self, start: int, length: int) -> None:
        number = len(self.parts) + 1
        self.parts.append(self._workers.submit(self._upload_part, number, start, length))
        self.sent += length

    def _upload_part(self, number: int, start: int, length: int) -> dict[str, Any]:
        response = self.client.upload_part(
            Bucket=self.bucket,
            Key=self.object_key,
            UploadId=self.upload_id,
            PartNumber=number,
            Body=_FileRegion(self.fd, start, length),
            ChecksumAlgorithm="CRC32",
        )
        part = {"PartNumber": number, "ETag": response["ETag"]}
        if "ChecksumCRC32" in response:
            part["ChecksumCRC32"] = response["ChecksumCRC32"]
        return part


def _same_file_path(stream: IO[bytes]) -> str | None:
    """The path of a regular file the stream reads from its start, if it has one."""
    name = getattr(stream, "name", None)
    if not isinstance(name, str) or not hasattr(stream, "fileno"):
        return None
    try:
        if stream.tell() != 0:
            return None
        opened, on_disk = os.fstat(stream.fileno()), os.stat(name)
    except (OSError, ValueError):
        return None
    if (opened.st_dev, opened.st_ino) != (on_disk.st_dev, on_disk.st_ino):
        return None
    return name


def make_storage(config: Mapping[str, Any]) -> Storage:
    backend = config.get("STORAGE_BACKEND", "local")
    if backend == "local":
        return LocalStorage(config["STORAGE_LOCAL_ROOT"])
    if backend == "s3":
        if not config.get("S3_BUCKET"):
            raise RuntimeError("STORAGE_BACKEND is 's3' but S3_BUCKET is not set")
        return S3Storage(
            bucket=config["S3_BUCKET"],
            prefix=config.get("S3_PREFIX") or "",
            endpoint_url=config.get("S3_ENDPOINT_URL"),
            region=config.get("S3_REGION"),
            presign_seconds=int(config.get("S3_PRESIGN_SECONDS", 120)),
        )
    raise RuntimeError(f"unknown STORAGE_BACKEND {backend!r}; use 'local' or 's3'")


def get_storage(app: Flask | None = None) -> Storage:
    """The app's storage backend, built once per app from its configuration."""
    app = app or current_app
    storage: Storage | None = app.extensions.get("portal.storage")
    if storage is None:
        storage = app.extensions["portal.storage"] = make_storage(app.config)
    return storage
