"""Importing a filled Word form: XML parts are judged as decoded, whatever encoding they claim."""

from __future__ import annotations

import html
import io
import zipfile

import pytest

from portal.applications.formdata import application_form_data
from portal.campaigns.models import CategoryKind
from portal.documents.application_form import render_application_form
from tests.applications.helpers import make_complete, make_draft

DOCTYPE = '<!DOCTYPE w:document [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'


def _form_docx(session) -> tuple[object, bytes]:
    """A draft and the programme's Word form filled from another, complete packet."""
    source = make_complete(kind=CategoryKind.INDIVIDUAL)
    target = make_draft(kind=CategoryKind.INDIVIDUAL, campaign=source.campaign)
    return target, render_application_form(application_form_data(source))[2]


def _with_document_xml(content: bytes, document_xml: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(
                info.filename, document_xml if info.filename == "word/document.xml" else data
            )
    return out.getvalue()


def _document_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def _reencoded(xml: str, encoding: str, *, doctype: bool) -> bytes:
    """document.xml declared and written in `encoding`, with the DOCTYPE after the declaration."""
    declaration_end = xml.index("?>") + 2
    declaration = xml[:declaration_end]
    for quoted in ("'UTF-8'", '"UTF-8"'):
        declaration = declaration.replace(quoted, f"'{encoding}'")
    body = (DOCTYPE if doctype else "") + xml[declaration_end:]
    data = (declaration + body).encode(encoding)
    if encoding == "utf-7":  # Python writes "<" as itself; UTF-7 may also shift it to base64
        data = data.replace(b"<!", b"+ADw-!")
    return data


def _import(client, login, app, content: bytes):
    login(app.created_by)
    response = client.post(
        f"/applications/{app.id}/word-in",
        data={"file": (io.BytesIO(content), "form.docx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_doctype_hidden_in_utf7_is_refused_with_its_encoding_named(client, login, session):
    app, content = _form_docx(session)
    xml = _reencoded(_document_xml(content), "utf-7", doctype=True)
    assert b"<!DOCTYPE" not in xml  # what a filter of the bytes would have looked for
    before = (app.person_name, app.lock_version)

    page = _import(client, login, app, _with_document_xml(content, xml))

    assert (
        "The Word file contains a part in the utf-7 encoding; Word writes only UTF-8 or "
        "UTF-16, so the file was refused. Save it again from Word."
    ) in page
    session.refresh(app)
    assert (app.person_name, app.lock_version) == before


@pytest.mark.parametrize("encoding", ["ISO-8859-1", "UTF-7"])
def test_a_form_declaring_an_encoding_other_than_utf8_or_utf16_is_refused(
    client, login, session, encoding
):
    app, content = _form_docx(session)
    xml = _document_xml(content).replace("encoding='UTF-8'", f"encoding='{encoding}'")
    xml = xml.replace('encoding="UTF-8"', f'encoding="{encoding}"')

    page = _import(client, login, app, _with_document_xml(content, xml.encode("utf-8")))

    assert f"The Word file contains a part in the {encoding} encoding" in page
    session.refresh(app)
    assert app.person_name is None


def test_doctype_in_a_utf16_part_is_refused_as_a_doctype(client, login, session):
    app, content = _form_docx(session)
    xml = _reencoded(_document_xml(content), "utf-16", doctype=True)

    page = _import(client, login, app, _with_document_xml(content, xml))

    assert (
        "The Word file contains a document type or entity declaration, which Word never "
        "writes, so it was refused. Save it again from Word."
    ) in page
    session.refresh(app)
    assert app.person_name is None


def test_a_form_saved_in_utf16_without_a_doctype_is_still_imported(client, login, session):
    app, content = _form_docx(session)
    xml = _reencoded(_document_xml(content), "utf-16", doctype=False)

    page = _import(client, login, app, _with_document_xml(content, xml))

    assert "The draft is filled in from the Word form." in page
    session.refresh(app)
    assert app.person_name == "王芳"
