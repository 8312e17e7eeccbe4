"""Recognise a file's type by its content (magic bytes, ZIP members), never by its name."""

from __future__ import annotations

import os
import zipfile
from typing import IO

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ZIP_MAGIC = b"PK\x03\x04"
# Encrypted OOXML (and the old .doc/.xls formats) are OLE compound files.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

HEAD_SIZE = 16
# A PDF ends with "%%EOF" (and maybe a line break or a little trailing junk, which readers
# accept); like readers, look for it in the last 1024 bytes.
PDF_EOF = b"%%EOF"
PDF_TAIL_SIZE = 1024

# The main part's content type in [Content_Types].xml; macro-enabled and template
# variants have other types and are not accepted.
OOXML_MAIN = {
    "docx": (
        "word/document.xml",
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xlsx": (
        "xl/workbook.xml",
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
}
# [Content_Types].xml is a few KB; refuse to inflate anything claiming to be larger.
MAX_CONTENT_TYPES_SIZE = 256 * 1024
MAX_ZIP_MEMBERS = 10_000

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "docx": "docx", "xlsx": "xlsx"}


def is_ole(head: bytes) -> bool:
    """An OLE compound file: a password-protected Office file or a pre-2007 .doc/.xls."""
    return head.startswith(OLE_MAGIC)


def sniff_kind(
    head: bytes, path_or_stream: str | os.PathLike[str] | IO[bytes] | None = None
) -> str | None:
    """'pdf', 'jpeg', 'png', 'docx' or 'xlsx' from the content, or None if not one of them.

    `head` is the first bytes of the file. A ZIP needs `path_or_stream` (a path or a seekable
    binary stream of the whole file) so that its central directory can be read; a stream's
    position is restored afterwards.
    """
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(JPEG_MAGIC):
        return "jpeg"
    if head.startswith(PNG_MAGIC):
        return "png"
    if head.startswith(ZIP_MAGIC) and path_or_stream is not None:
        return _sniff_ooxml(path_or_stream)
    return None


def ends_whole(kind: str, stream: IO[bytes], size: int) -> bool:
    """Whether a file sniffed as `kind` ends as a whole file of that kind does.

    A PDF must carry "%%EOF" near its end; a .docx or .xlsx was already read through its
    central directory, which sits at the end of the file. A cut-off file fails this. The
    stream (seekable, `size` bytes long) keeps its position.
    """
    if kind != "pdf":
        return True
    position = stream.tell()
    try:
        stream.seek(max(0, size - PDF_TAIL_SIZE))
        return PDF_EOF in stream.read(PDF_TAIL_SIZE)
    finally:
        stream.seek(position)


def _sniff_ooxml(path_or_stream: str | os.PathLike[str] | IO[bytes]) -> str | None:
    stream = None if isinstance(path_or_stream, str | os.PathLike) else path_or_stream
    position = stream.tell() if stream is not None else 0
    try:
        with zipfile.ZipFile(path_or_stream) as archive:
            return _ooxml_kind(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None
    finally:
        if stream is not None:
            stream.seek(position)


def _ooxml_kind(archive: zipfile.ZipFile) -> str | None:
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        return None
    by_name = {info.filename: info for info in infos}
    types_info = by_name.get("[Content_Types].xml")
    if types_info is None or types_info.file_size > MAX_CONTENT_TYPES_SIZE:
        return None
    if any(info.flag_bits & 0x1 for info in infos):  # encrypted ZIP entries
        return None
    with archive.open(types_info) as member:
        content_types = member.read(MAX_CONTENT_TYPES_SIZE + 1)
    for kind, (main_part, main_type) in OOXML_MAIN.items():
        if main_part in by_name and main_type in content_types:
            return kind
    return None
