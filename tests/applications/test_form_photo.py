"""The individual Word form carries the uploaded photo in its photo box; the team form has none."""

from __future__ import annotations

import io
import struct
import zlib

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from portal.applications.models import FileCategory
from portal.campaigns.models import CategoryKind
from portal.storage import get_storage
from tests.applications.helpers import make_complete


def make_png(width: int = 5, height: int = 7) -> bytes:
    """A real, decodable RGB PNG of the given size."""

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    rows = b"".join(b"\x00" + b"\xc0\x40\x20" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _upload_photo(client, app, content: bytes) -> None:
    response = client.post(
        f"/applications/{app.id}/files",
        data={"category": "photo", "file": (io.BytesIO(content), "me.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def _photo_cell_pictures(content: bytes) -> list[tuple[bytes, int, int]]:
    """(bytes, width, height) of each inline picture in the first row's last cell."""
    document = Document(io.BytesIO(content))
    table = document.tables[0]
    tc = table._tbl.tr_lst[0].tc_lst[-1]
    pictures = []
    for inline in tc.iter(qn("wp:inline")):
        blip = next(inline.iter(qn("a:blip")))
        blob = document.part.related_parts[blip.get(qn("r:embed"))].blob
        extent = inline.find(qn("wp:extent"))
        pictures.append((blob, int(extent.get("cx")), int(extent.get("cy"))))
    return pictures


def _photo_cell_text(content: bytes) -> str:
    table = Document(io.BytesIO(content)).tables[0]
    tc = table._tbl.tr_lst[0].tc_lst[-1]
    return "".join(t.text for t in tc.iter(qn("w:t")))


def test_the_draft_and_version_forms_carry_the_uploaded_photo(client, login, session):
    png = make_png()
    app = make_complete(kind=CategoryKind.INDIVIDUAL)
    login(app.created_by)
    _upload_photo(client, app, png)
    session.refresh(app)
    assert [f.category for f in app.files if f.stored_file.kind == "png"] == [FileCategory.PHOTO]

    draft = client.get(f"/applications/{app.id}/form.docx")
    assert draft.status_code == 200
    # 5 x 7 pixels: as tall as the 3.5 cm box, 2.5 cm wide, aspect kept.
    assert _photo_cell_pictures(draft.data) == [(png, Cm(2.5), Cm(3.5))]
    assert _photo_cell_text(draft.data) == ""

    assert client.post(f"/applications/{app.id}/submit").status_code == 302
    version = client.get(f"/applications/{app.id}/versions/1/form.docx")
    assert version.status_code == 200
    assert [p[0] for p in _photo_cell_pictures(version.data)] == [png]


def test_a_wide_photo_keeps_its_aspect_inside_the_box(client, login, session):
    png = make_png(width=10, height=5)
    app = make_complete(kind=CategoryKind.INDIVIDUAL)
    login(app.created_by)
    _upload_photo(client, app, png)
    response = client.get(f"/applications/{app.id}/form.docx")
    assert _photo_cell_pictures(response.data) == [(png, Cm(2.5), Cm(1.25))]


def test_without_a_photo_the_box_keeps_its_label(client, login, session):
    app = make_complete(kind=CategoryKind.INDIVIDUAL)
    login(app.created_by)
    response = client.get(f"/applications/{app.id}/form.docx")
    assert response.status_code == 200
    assert _photo_cell_pictures(response.data) == []
    assert _photo_cell_text(response.data) == "照片（二寸免冠）"


def test_the_team_form_has_no_picture_though_a_photo_is_uploaded(client, login, session):
    app = make_complete(kind=CategoryKind.TEAM)
    login(app.created_by)
    _upload_photo(client, app, make_png())
    response = client.get(f"/applications/{app.id}/form.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    assert list(document.element.body.iter(qn("wp:inline"))) == []
    assert document.inline_shapes._inline_lst == []


def test_a_photo_missing_from_storage_gives_the_form_without_it(
    app, client, login, session, caplog
):
    portal_app = app
    draft = make_complete(kind=CategoryKind.INDIVIDUAL)
    login(draft.created_by)
    _upload_photo(client, draft, make_png())
    session.refresh(draft)
    stored = next(f.stored_file for f in draft.files if f.category is FileCategory.PHOTO)
    get_storage(portal_app).delete(stored.key)
    response = client.get(f"/applications/{draft.id}/form.docx")
    assert response.status_code == 200
    assert _photo_cell_pictures(response.data) == []
    assert _photo_cell_text(response.data) == "照片（二寸免冠）"
    assert f"photo {stored.id} could not be read from storage" in caplog.text


def test_corrupt_photo_bytes_leave_the_box_and_the_download_works(client, login, session, caplog):
    # Sniffed as a PNG at upload, but no image python-docx can read.
    broken = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
    draft = make_complete(kind=CategoryKind.INDIVIDUAL)
    login(draft.created_by)
    _upload_photo(client, draft, broken)
    response = client.get(f"/applications/{draft.id}/form.docx")
    assert response.status_code == 200
    assert _photo_cell_pictures(response.data) == []
    assert _photo_cell_text(response.data) == "照片（二寸免冠）"
    assert "the applicant's photo could not be read as an image" in caplog.text
