"""Safe intake of uploaded .docx files: size, encryption, zip bombs and XML entities checked first.

A .docx is a zip of XML parts. Before python-docx (and lxml) see an upload, `read_docx_safely`
reads the stream with a hard size cap, refuses OLE compound files (password-protected OOXML and
old .doc), checks the zip's central directory for bombs, decompresses every member with a bounded
read (declared sizes can lie) and refuses XML parts that carry a DOCTYPE or entity definitions.
Each XML part is decoded as a parser would decode it (byte-order mark, then the encoding its
declaration names) before it is looked at, and only UTF-8 and UTF-16 are accepted: in UTF-7,
EBCDIC or UTF-32 a DOCTYPE would not show as such in the bytes.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from typing import BinaryIO

from docx import Document
from docx.document import Document as DocumentObject
from flask_babel import lazy_gettext as _l

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MiB
MAX_UNCOMPRESSED_TOTAL = 50 * MiB
MAX_MEMBERS = 1000
MAX_RATIO = 100
RATIO_CHECK_ABOVE = 1 * MiB
READ_CHUNK = 64 * 1024
LOCAL_HEADER_SIZE = 30

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
XML_SUFFIXES = (".xml", ".rels", ".vml")
# The encodings accepted in XML parts, by the names a declaration may give them.
_UTF8_NAMES = {"utf-8", "utf8"}
_UTF16_NAMES = {"utf-16", "utf16", "utf-16le", "utf-16be"}
_DECLARED_ENCODING = re.compile(r"""<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']""")
# How an XML parser recognises the first characters "<?" in encodings refused here.
_OTHER_SIGNATURES = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    b"<\x00\x00\x00": "UTF-32",
    b"\x00\x00\x00<": "UTF-32",
    b"\x4c\x6f\xa7\x94": "EBCDIC",
    b"+/v": "UTF-7",
}

REJECTION_MESSAGES = {
    "too_large": _l("The Word file is larger than the %(limit)s MB allowed."),
    "encrypted": _l(
        "The Word file is password-protected or in the old .doc format. "
        "Remove the password or save it as .docx, then upload it again."
    ),
    "not_docx": _l("The file is not a Word document (.docx)."),
    "encoding": _l(
        "The Word file contains a part in the %(encoding)s encoding; Word writes only UTF-8 "
        "or UTF-16, so the file was refused. Save it again from Word."
    ),
    "doctype": _l(
        "The Word file contains a document type or entity declaration, which Word never "
        "writes, so it was refused. Save it again from Word."
    ),
    "zip_bomb": _l("The Word file expands to far more data than a form holds, so it was refused."),
    "malformed": _l("The Word file is damaged or contains content that cannot be read safely."),
    "not_our_form": _l(
        "The Word file is not one of the programme's application forms: none of its labels "
        "were found. Download the form from the portal and fill that in."
    ),
}


class DocumentRejected(Exception):
    """An uploaded document refused before or while reading it; `key` says why."""

    def __init__(self, key: str, detail: str = "", **params: object) -> None:
        if key not in REJECTION_MESSAGES:
            raise ValueError(f"unknown rejection key {key!r}")
        super().__init__(f"{key}: {detail}" if detail else key)
        self.key = key
        self.detail = detail
        self.params = params

    @property
    def message(self) -> str:
        """The user-facing explanation, in the current locale."""
        text = str(REJECTION_MESSAGES[self.key])
        return text % self.params if self.params else text


def read_capped(stream: BinaryIO, max_bytes: int) -> bytes:
    """Read the whole stream in chunks, refusing it as soon as it passes `max_bytes`."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(READ_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > max_bytes:
            raise DocumentRejected(
                "too_large", f"more than {max_bytes} bytes", limit=_mebibytes(max_bytes)
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _mebibytes(size: int) -> str:
    return f"{size / MiB:g}"


def check_central_directory(infos: Iterable[zipfile.ZipInfo]) -> None:
    """Refuse a zip whose directory promises too many members, too much data or absurd ratios."""
    infos = list(infos)
    if len(infos) > MAX_MEMBERS:
        raise DocumentRejected("zip_bomb", f"{len(infos)} members")
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNCOMPRESSED_TOTAL:
        raise DocumentRejected("zip_bomb", f"declares {declared} bytes uncompressed")
    for info in infos:
        if info.flag_bits & 0x1:
            raise DocumentRejected("encrypted", f"{info.filename} is encrypted")
        if info.file_size > RATIO_CHECK_ABOVE and (
            info.compress_size == 0 or info.file_size / info.compress_size > MAX_RATIO
        ):
            raise DocumentRejected("zip_bomb", f"{info.filename} ratio too high")


def read_member_bounded(data: bytes, info: zipfile.ZipInfo, budget: int) -> bytes:
    """Inflate one member ourselves, stopping one byte past its declared size or the budget.

    zipfile would silently stop at the declared size; inflating with `max_length` lets a member
    whose real content is larger than its directory entry claims be refused as a bomb.
    """
    limit = min(info.file_size, budget)
    raw = _raw_member(data, info)
    if info.compress_type == zipfile.ZIP_STORED:
        content = raw[: limit + 1]
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            content = inflater.decompress(raw, limit + 1)
        except zlib.error as exc:
            raise DocumentRejected("malformed", f"{info.filename}: {exc}") from exc
    else:
        raise DocumentRejected("malformed", f"{info.filename}: compression {info.compress_type}")
    if len(content) > limit:
        raise DocumentRejected("zip_bomb", f"{info.filename} inflates past its declared size")
    if len(content) != info.file_size or zlib.crc32(content) != info.CRC:
        raise DocumentRejected("malformed", f"{info.filename} does not match its directory entry")
    return content


def _raw_member(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of a member, located through its local file header."""
    header = data[info.header_offset : info.header_offset + LOCAL_HEADER_SIZE]
    if len(header) != LOCAL_HEADER_SIZE or not header.startswith(b"PK\x03\x04"):
        raise DocumentRejected("malformed", f"{info.filename}: bad local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = info.header_offset + LOCAL_HEADER_SIZE + name_length + extra_length
    raw = data[start : start + info.compress_size]
    if len(raw) != info.compress_size:
        raise DocumentRejected("malformed", f"{info.filename} is truncated")
    return raw


def xml_text(name: str, data: bytes) -> str | None:
    """The member decoded as an XML parser would read it, or None if it is not XML text.

    Refuses (key "encoding") a member in any encoding but UTF-8 or UTF-16, one whose
    declaration names another encoding, and one whose bytes do not decode as declared.
    """
    is_xml_name = name.lower().endswith(XML_SUFFIXES)
    for signature, encoding in _OTHER_SIGNATURES.items():
        if is_xml_name and data.startswith(signature):
            raise DocumentRejected("encoding", f"{name}: {encoding}", encoding=encoding)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        detected, names = "utf-16", _UTF16_NAMES
    elif data.startswith(b"<\x00"):
        detected, names = "utf-16-le", _UTF16_NAMES
    elif data.startswith(b"\x00<"):
        detected, names = "utf-16-be", _UTF16_NAMES
    else:
        detected, names = "utf-8-sig", _UTF8_NAMES
    try:
        text = data.decode(detected)
    except UnicodeDecodeError as exc:
        if not is_xml_name:
            return None  # a picture or other binary member
        raise DocumentRejected("encoding", f"{name}: {exc}", encoding=detected.upper()) from exc
    declared = _DECLARED_ENCODING.match(text.lstrip())
    if declared and declared.group(1).strip().lower() not in names:
        encoding = declared.group(1)[:40]
        raise DocumentRejected("encoding", f"{name} declares {encoding}", encoding=encoding)
    return text


def check_xml_part(name: str, data: bytes) -> None:
    """Refuse XML carrying a DOCTYPE or entity definitions (billion laughs, external entities),
    looked for in the text as decoded, whatever the encoding."""
    text = xml_text(name, data)
    if text is None:
        return
    folded = text.upper()
    if "<!DOCTYPE" in folded or "<!ENTITY" in folded:
        raise DocumentRejected("doctype", f"{name} declares a DOCTYPE or entities")


def read_docx_safely(stream: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES) -> DocumentObject:
    """Open an uploaded .docx with python-docx only after every safety check has passed.

    Raises `DocumentRejected` with key too_large, encrypted, not_docx, zip_bomb or malformed.
    """
    data = read_capped(stream, max_bytes)
    if data.startswith(OLE_MAGIC):
        raise DocumentRejected("encrypted", "OLE compound file")
    if not data.startswith(ZIP_MAGICS):
        raise DocumentRejected("not_docx", "no zip signature")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise DocumentRejected("not_docx", str(exc)) from exc
    with archive:
        infos = archive.infolist()
        check_central_directory(infos)
        if "word/document.xml" not in {info.filename for info in infos}:
            raise DocumentRejected("malformed", "no word/document.xml")
        budget = MAX_UNCOMPRESSED_TOTAL
        for info in infos:
            if info.is_dir():
                continue
            content = read_member_bounded(data, info, budget)
            budget -= len(content)
            # Every member, whatever its name: a part is parsed as XML by its content type.
            check_xml_part(info.filename, content)
    try:
        return Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors and its own
        raise DocumentRejected("malformed", f"python-docx: {exc}") from exc
