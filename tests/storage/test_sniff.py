import io
import zipfile

import pytest

from portal.files.sniff import sniff_kind
from tests.storage.samples import (
    XLSM_MAIN_TYPE,
    make_docx,
    make_jpeg,
    make_ole,
    make_pdf,
    make_plain_zip,
    make_png,
    make_xlsx,
)


def sniff(data: bytes) -> str | None:
    return sniff_kind(data[:16], io.BytesIO(data))


@pytest.mark.parametrize(
    ("maker", "kind"),
    [
        (make_pdf, "pdf"),
        (make_jpeg, "jpeg"),
        (make_png, "png"),
        (make_docx, "docx"),
        (make_xlsx, "xlsx"),
    ],
)
def test_each_accepted_kind_is_recognised_from_its_content(maker, kind):
    assert sniff(maker()) == kind


def test_ooxml_is_recognised_from_a_path_too(tmp_path):
    path = tmp_path / "whatever.bin"
    path.write_bytes(make_docx())
    assert sniff_kind(path.read_bytes()[:16], path) == "docx"


def test_sniffing_restores_the_stream_position():
    stream = io.BytesIO(make_xlsx())
    stream.seek(5)
    assert sniff_kind(stream.getvalue()[:16], stream) == "xlsx"
    assert stream.tell() == 5


@pytest.mark.parametrize(
    "data",
    [
        b"Just some text pretending to be a PDF\n",
        b"",
        make_ole(),  # a password-protected .docx is an OLE compound file
        make_plain_zip(),
        make_xlsx(main_type=XLSM_MAIN_TYPE),  # macro-enabled workbook
        b"PK\x03\x04" + b"\x00" * 100,  # truncated zip
        b"GIF89a\x01\x00\x01\x00",
    ],
    ids=["text", "empty", "ole", "plain-zip", "xlsm", "broken-zip", "gif"],
)
def test_other_content_is_not_recognised(data):
    assert sniff(data) is None


def test_zip_without_a_stream_is_not_guessed():
    assert sniff_kind(make_docx()[:16]) is None


def test_content_types_member_claiming_a_huge_size_is_not_inflated():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b" " * (300 * 1024))
        archive.writestr("word/document.xml", "<w:document/>")
    assert sniff(out.getvalue()) is None
