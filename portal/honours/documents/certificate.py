"""The honour certificate (荣誉证书) as a Word document: one honour, or a campaign's set.

Takes data gathered by portal.honours.certificates and returns (filename, mimetype, bytes).
It carries nothing personal beyond the holder's name and unit: no ID number, phone or age.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

from portal.documents import DOCX_MIMETYPE, safe_filename
from portal.documents.common import (
    TITLE_FONT,
    add_paragraph,
    docx_bytes,
    new_document,
)
from portal.honours.certificates import CertificateData

CERTIFICATE_TITLE = "荣誉证书"
KIND_TITLES = {"team": "用户满意服务明星班组", "individual": "用户满意服务明星"}


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _write(document, data: CertificateData) -> None:
    add_paragraph(document, "", space_after=Pt(24))
    add_paragraph(
        document,
        CERTIFICATE_TITLE,
        font=TITLE_FONT,
        size=Pt(36),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=Pt(24),
    )
    add_paragraph(document, f"{data.holder}：", size=Pt(18), space_after=Pt(6))
    add_paragraph(document, f"（{data.unit}）", size=Pt(14), space_after=Pt(12))
    title = KIND_TITLES.get(data.kind, KIND_TITLES["individual"])
    # The category is named only where the title does not already say it (班组 … （班组）).
    category = f"（{data.category}）" if data.category and not title.endswith(data.category) else ""
    body = (
        f"　　在{data.year}年度用户满意服务明星创建活动中，"
        f"被评为{data.year}年度“{title}”{category}，特发此证。"
        f"荣誉称号有效期至{_chinese_date(data.valid_until)}。"
    )
    add_paragraph(document, body, size=Pt(16), space_after=Pt(12))
    add_paragraph(
        document, f"活动主题：{data.theme}", size=Pt(12), align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=Pt(18),
    )  # fmt: skip
    add_paragraph(document, "　".join(data.organizers), size=Pt(14), align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_paragraph(
        document,
        _chinese_date(data.awarded_on),
        size=Pt(14),
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        space_after=Pt(24),
    )
    add_paragraph(document, f"证书编号：{data.certificate_number}", size=Pt(10.5))
    add_paragraph(document, f"验证码：{data.verification_code}", size=Pt(10.5))
    add_paragraph(document, f"查验网址：{data.verify_url}", size=Pt(10.5))


def _landscape():
    return new_document(margins_cm=(2.0, 3.0, 2.0, 3.0), landscape=True)


def render_certificate(data: CertificateData) -> tuple[str, str, bytes]:
    document = _landscape()
    document.core_properties.title = f"{CERTIFICATE_TITLE} {data.certificate_number}"
    _write(document, data)
    filename = safe_filename(data.certificate_number, data.holder)
    return filename, DOCX_MIMETYPE, docx_bytes(document)


def render_certificates(year: int, items: Sequence[CertificateData]) -> tuple[str, str, bytes]:
    """All certificates of a campaign in one file, one page each."""
    document = _landscape()
    document.core_properties.title = f"{year}年度用户满意服务明星荣誉证书"
    for index, data in enumerate(items):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _write(document, data)
    filename = safe_filename(f"{year}年度用户满意服务明星荣誉证书")
    return filename, DOCX_MIMETYPE, docx_bytes(document)
