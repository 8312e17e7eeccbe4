"""Reading a raw-body upload out of the request: its declared length held to, its name decoded.

A raw-body upload (PUT/POST with Content-Type application/octet-stream) must declare its
Content-Length. The body is read through `DeclaredLengthStream`, which raises
UploadRequestInvalid("incomplete") when the body ends before the declared length: under
gunicorn a client that closes its connection early looks like an ordinary end of the body,
and the cut-off file would otherwise be stored as if it were whole.
"""

from __future__ import annotations

import re
from typing import IO
from urllib.parse import unquote

from flask import abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import ClientDisconnected, HTTPException

from portal.storage import ByteStream

_DIGITS = re.compile(r"[0-9]{1,18}")

# key: (HTTP status, the refused header or parameter)
_KEYS = {
    "length_required": (411, "Content-Length"),
    "length_invalid": (400, "Content-Length"),
    "incomplete": (400, "Content-Length"),
    "filename_missing": (400, "filename"),
    "filename_encoding": (400, "X-Filename"),
}


class UploadRequestInvalid(HTTPException):
    """A raw-body upload request that is malformed or cut off; nothing of it is stored."""

    code: int  # every problem has its status (_KEYS), where HTTPException allows none

    def __init__(self, key: str, **params: int) -> None:
        if key not in _KEYS:
            raise ValueError(f"unknown upload request problem {key!r}")
        self.key = key
        self.params = params
        self.code, self.parameter = _KEYS[key]
        super().__init__(description=f"{key} {params}" if params else key)

    @property
    def message(self):
        """The reason as a lazy string, translated when it is answered."""
        if self.key == "length_required":
            return _l(
                "Send the file with a Content-Length header; uploads of unknown length are not "
                "accepted."
            )
        if self.key == "length_invalid":
            return _l("The Content-Length header must be a whole number of bytes.")
        if self.key == "incomplete":
            return _l(
                "The upload ended after %(received)s of the %(declared)s bytes announced, so "
                "nothing was kept. Send the file again.",
                **self.params,
            )
        if self.key == "filename_missing":
            return _l("Give the file's name with ?filename= or the X-Filename header.")
        return _l(
            "The X-Filename header must be the file's name in percent-encoded UTF-8, "
            "for example %(example)s.",
            example="%E6%9D%90%E6%96%99.pdf",
        )


class HeldToContentLength:
    """WSGI middleware: every request body is read against its declared Content-Length.

    gunicorn marks its input as terminated (`wsgi.input_terminated`), and Werkzeug then reads
    it to its end without comparing with the Content-Length: a client that drops after 3 of
    10 MB looks like a whole 3 MB body, and a cut-off form like a form without its file.
    Without the mark, Werkzeug reads the body through its LimitedStream, which raises
    ClientDisconnected (a 400) when the body ends early. Chunked bodies have no length to hold
    to; the server checks their framing itself.
    """

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if environ.get("CONTENT_LENGTH") and not chunked:
            environ.pop("wsgi.input_terminated", None)
        return self.app(environ, start_response)


class DeclaredLengthStream:
    """Reads the request body and refuses to end before the declared Content-Length."""

    def __init__(self, stream: IO[bytes], declared: int) -> None:
        self.stream = stream
        self.declared = declared
        self.received = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size == 0 or self.received >= self.declared:
            return b""
        left = self.declared - self.received
        try:
            data = self.stream.read(left if size is None or size < 0 else min(size, left))
        except ClientDisconnected:  # Werkzeug's own server notices the short body itself
            data = b""
        if not data:
            raise UploadRequestInvalid("incomplete", received=self.received, declared=self.declared)
        self.received += len(data)
        return data


def declared_length() -> int:
    """The request's Content-Length; UploadRequestInvalid if it is missing or not a number."""
    raw = request.headers.get("Content-Length")
    if raw is None or not raw.strip():
        raise UploadRequestInvalid("length_required")
    if not _DIGITS.fullmatch(raw.strip()):
        raise UploadRequestInvalid("length_invalid")
    return int(raw.strip())


def stream_request_body() -> ByteStream:
    """The raw body of an application/octet-stream PUT/POST, unparsed, unspooled and held to
    its declared length."""
    if request.mimetype != "application/octet-stream":
        abort(415)
    declared = declared_length()
    return DeclaredLengthStream(request.stream, declared)


def request_upload_filename() -> str:
    """The file name of a raw-body upload: X-Filename header (percent-encoded UTF-8) or
    ?filename=."""
    header = request.headers.get("X-Filename")
    if header:
        try:
            name = unquote(header, errors="strict")
        except UnicodeDecodeError as exc:
            raise UploadRequestInvalid("filename_encoding") from exc
    else:
        name = request.args.get("filename", "")
    if not name.strip():
        raise UploadRequestInvalid("filename_missing")
    return name
