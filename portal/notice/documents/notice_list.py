"""The public notice list (公示名单) as a Word document, from rows the service gathered."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from portal.documents import DOCX_MIMETYPE, safe_filename
from portal.documents.common import (
    CellSpec,
    RowSpec,
    add_paragraph,
    add_title,
    build_grid_table,
    docx_bytes,
    new_document,
)

WIDTHS_CM = (1.2, 4.2, 4.4, 2.0, 2.2, 2.0)


def build(year: int, theme: str, rows, window_text: str, revised_text: str = ""):
    """(filename, mimetype, bytes) of the list: name, unit, category, industry, district only."""
    document = new_document(margins_cm=(2.0, 2.0, 2.0, 2.0))
    add_title(document, f"{year}年度用户满意服务明星候选名单公示")
    add_paragraph(document, theme, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=Pt(6))
    add_paragraph(document, window_text, space_after=Pt(3))
    if revised_text:
        add_paragraph(document, revised_text, space_after=Pt(3))
    header = RowSpec(
        [
            CellSpec("序号", label=True),
            CellSpec("班组 / 个人", label=True),
            CellSpec("单位", label=True),
            CellSpec("类别", label=True),
            CellSpec("行业", label=True),
            CellSpec("区", label=True),
        ],
        header=True,
    )
    body = [
        RowSpec(
            [
                CellSpec(str(n), align=WD_ALIGN_PARAGRAPH.CENTER),
                CellSpec(r.name),
                CellSpec(r.unit),
                CellSpec(r.category_zh),
                CellSpec(r.industry_zh),
                CellSpec(r.district_zh),
            ]
        )
        for n, r in enumerate(rows, start=1)
    ]
    build_grid_table(document, WIDTHS_CM, [header, *body])
    filename = safe_filename(f"{year}", "用户满意服务明星公示名单")
    return filename, DOCX_MIMETYPE, docx_bytes(document)
