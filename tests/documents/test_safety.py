"""Uploaded .docx files are refused, with a reason, before anything unsafe is parsed."""

from __future__ import annotations

import io
import os
import struct
import zipfile

import pytest
from docx import Document

from portal.documents.application_form import render_application_form
from portal.documents.application_form_reader import parse_application_form
from portal.documents.common import docx_bytes
from portal.documents.safety import DocumentRejected, MiB, read_capped
from tests.documents.test_application_form import team_form


def rejection(content: bytes, **kwargs) -> str:
    with pytest.raises(DocumentRejected) as rejected:
        parse_application_form(io.BytesIO(content), **kwargs)
    return rejected.value.key


def form_bytes() -> bytes:
    return render_application_form(team_form())[2]


def rezip(content: bytes, replace: dict[str, bytes | None]) -> bytes:
    """The same .docx with some members replaced (or dropped when the value is None)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    target.writestr(info.filename, replace[info.filename])
            else:
                target.writestr(info.filename, source.read(info.filename))
        for name, data in replace.items():
            if name not in source.namelist() and data is not None:
                target.writestr(name, data)
    return out.getvalue()


def patch_central_entry(content: bytes, name: str, offset: int, fmt: str, value: int) -> bytes:
    """Overwrite one field of a member's central-directory entry, as a forger would."""
    data = bytearray(content)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_length] == name.encode():
            struct.pack_into(fmt, data, position + offset, value)
            return bytes(data)
        position = data.find(b"PK\x01\x02", position + 4)
    raise AssertionError(f"{name} not in the central directory")


class EndlessZeros(io.RawIOBase):
    """A stream that never ends, counting what was read from it."""

    def __init__(self):
        self.read_total = 0

    def readable(self):
        return True

    def read(self, size=-1):
        size = 64 * 1024 if size is None or size < 0 else size
        self.read_total += size
        return b"\0" * size


def test_a_valid_form_passes_every_check():
    assert parse_application_form(io.BytesIO(form_bytes()))["team"]["leader_name"] == "王丽"


def test_stream_larger_than_the_limit_is_too_large():
    content = form_bytes()

    assert rejection(content, max_bytes=len(content) - 1) == "too_large"
    assert parse_application_form(io.BytesIO(content), max_bytes=len(content))["unit"]["postcode"]


def test_reading_stops_soon_after_the_limit():
    stream = EndlessZeros()

    with pytest.raises(DocumentRejected) as rejected:
        read_capped(stream, 10 * MiB)

    assert rejected.value.key == "too_large"
    assert stream.read_total <= 10 * MiB + 64 * 1024
    assert rejected.value.params == {"limit": "10"}


def test_random_bytes_are_not_a_docx():
    assert rejection(os.urandom(4096)) == "not_docx"
    assert rejection(b"") == "not_docx"
    assert rejection(b"PK\x03\x04 truncated zip") == "not_docx"


def test_ole_compound_file_is_encrypted_or_old_word():
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4088

    assert rejection(ole) == "encrypted"


def test_zip_member_with_the_encryption_flag_is_encrypted():
    content = patch_central_entry(form_bytes(), "word/document.xml", 8, "<H", 0x1)

    assert rejection(content) == "encrypted"


def test_zip_without_word_document_is_malformed():
    assert rejection(rezip(form_bytes(), {"word/document.xml": None})) == "malformed"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert rejection(out.getvalue()) == "malformed"


def test_document_xml_that_is_not_xml_is_malformed():
    content = rezip(form_bytes(), {"word/document.xml": b"<w:document><unclosed>"})

    assert rejection(content) == "malformed"


def test_zip_bomb_declaring_sixty_mebibytes_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/zeros.bin", "w") as member:
            chunk = b"\0" * MiB
            for _ in range(60):
                member.write(chunk)
    content = out.getvalue()

    assert len(content) < 200 * 1024
    assert rejection(content) == "zip_bomb"


def test_member_with_an_absurd_compression_ratio_is_a_bomb():
    content = rezip(form_bytes(), {"word/media/zeros.bin": b"\0" * (2 * MiB)})

    assert rejection(content) == "zip_bomb"


def test_zip_with_too_many_members_is_a_bomb():
    replace = {f"customXml/item{i}.bin": b"x" for i in range(1001)}

    assert rejection(rezip(form_bytes(), replace)) == "zip_bomb"


def test_member_inflating_past_its_declared_size_is_a_bomb():
    padded = form_bytes()
    with zipfile.ZipFile(io.BytesIO(padded)) as archive:
        xml = archive.read("word/document.xml")
    content = rezip(padded, {"word/document.xml": xml + b" " * (3 * MiB)})
    # The directory now claims the member is tiny; its deflate stream says otherwise.
    forged = patch_central_entry(content, "word/document.xml", 24, "<I", 1000)

    assert rejection(forged) == "zip_bomb"


def test_member_whose_crc_does_not_match_is_malformed():
    forged = patch_central_entry(form_bytes(), "word/document.xml", 16, "<I", 0)

    assert rejection(forged) == "malformed"


ENTITY_DOCTYPE = (
    b'<!DOCTYPE w:document [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


def _with_doctype(xml: bytes) -> bytes:
    declaration_end = xml.index(b"?>") + 2
    return xml[:declaration_end] + ENTITY_DOCTYPE + xml[declaration_end:]


def test_document_with_doctype_and_entities_is_refused():
    content = form_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml")

    assert rejection(rezip(content, {"word/document.xml": _with_doctype(xml)})) == "doctype"


def test_doctype_in_utf16_or_in_another_part_is_refused():
    content = form_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml")
        styles = archive.read("word/styles.xml")
    utf16 = (
        _with_doctype(xml)
        .decode("utf-8")
        .replace("encoding='UTF-8'", "encoding='UTF-16'")
        .encode("utf-16")
    )

    assert rejection(rezip(content, {"word/document.xml": utf16})) == "doctype"
    assert rejection(rezip(content, {"word/styles.xml": _with_doctype(styles)})) == "doctype"


def test_unrelated_word_document_is_not_our_form():
    document = Document()
    document.add_paragraph("年度工作总结")

    assert rejection(docx_bytes(document)) == "not_our_form"


def test_rejection_carries_a_readable_message(app):
    with app.test_request_context():
        rejected = DocumentRejected("too_large", limit="10")
        assert rejected.key == "too_large"
        assert "10" in rejected.message
        assert DocumentRejected("zip_bomb").message


def test_unknown_rejection_key_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown rejection key"):
        DocumentRejected("too_spicy")
