"""The city's recommendation to the national programme (全国用户满意服务明星推荐名单) as one
Word document: the ranked list, then each holder's packet summary on its own page.

`data` is gathered by `portal.national.service.export_data`; this module never queries.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.enum.text import WD_BREAK
from docx.shared import Pt

from portal.documents import DOCX_MIMETYPE, safe_filename
from portal.documents.common import (
    TITLE_FONT,
    CellSpec,
    RowSpec,
    add_paragraph,
    add_title,
    build_grid_table,
    docx_bytes,
    new_document,
)

SUBJECT = "service-star-national-recommendation:v1"
SMALL = Pt(9)
HEADING = Pt(12)
# The list's columns: caption, entry attribute, width (cm; 16 cm between the margins).
LIST_COLUMNS = (
    ("名次", "rank", 1.0),
    ("称号获得者", "holder", 3.0),
    ("类别", "category", 1.2),
    ("单位", "unit", 3.4),
    ("区/行业", "where", 2.2),
    ("获评年度", "year", 1.4),
    ("证书编号", "certificate", 2.4),
    ("有效期至", "valid_until", 1.4),
)
# The summary's grid: label, value, label, value.
SUMMARY_WIDTHS_CM = (2.8, 5.2, 2.8, 5.2)


def _list_table(document, entries: Sequence) -> None:
    header = RowSpec(
        [CellSpec(caption, label=True, size=SMALL) for caption, _a, _w in LIST_COLUMNS],
        header=True,
    )
    rows = [
        RowSpec([CellSpec(str(getattr(e, attr)), size=SMALL) for _c, attr, _w in LIST_COLUMNS])
        for e in entries
    ]
    build_grid_table(document, [w for _c, _a, w in LIST_COLUMNS], [header, *rows])


def _pairs_rows(pairs: Sequence[tuple[str, str]]) -> list[RowSpec]:
    rows = []
    for i in range(0, len(pairs), 2):
        chunk = list(pairs[i : i + 2])
        cells = [CellSpec(chunk[0][0], label=True), CellSpec(chunk[0][1])]
        if len(chunk) == 2:
            cells += [CellSpec(chunk[1][0], label=True), CellSpec(chunk[1][1])]
        else:
            cells[-1] = CellSpec(chunk[0][1], span=3)
        rows.append(RowSpec(cells, height_cm=0.8))
    return rows


def _wide_row(caption: str, text: str) -> RowSpec:
    return RowSpec([CellSpec(caption, label=True), CellSpec(text, span=3)], height_cm=3.0)


def _summary(document, entry) -> None:
    """One holder's page: who, where, the title, the figures, what the packet says."""
    paragraph = document.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    add_paragraph(
        document, f"第{entry.rank}名　{entry.holder}", font=TITLE_FONT, size=HEADING, bold=True
    )
    add_paragraph(document, "")
    pairs = [
        ("称号获得者", entry.holder),
        ("类别", entry.category),
        ("单位", entry.unit),
        ("区/行业", entry.where),
        ("获评年度", entry.year),
        ("证书编号", entry.certificate),
        ("有效期至", entry.valid_until),
        *entry.figures,
    ]
    rows = _pairs_rows(pairs)
    rows += [
        _wide_row("服务内容", entry.service_content),
        _wide_row("主要事迹", entry.deeds_summary),
        _wide_row("推荐理由", entry.reason),
    ]
    build_grid_table(document, SUMMARY_WIDTHS_CM, rows)


def render_national_list(data: dict) -> tuple[str, str, bytes]:
    """The list, then one summary page per holder, in rank order."""
    title = f"{data['year']}年全国用户满意服务明星推荐名单"
    document = new_document()
    document.core_properties.title = title
    document.core_properties.subject = SUBJECT
    add_title(document, title)
    add_paragraph(document, f"共{len(data['entries'])}名　导出日期：{data['exported_on']}")
    add_paragraph(document, "")
    _list_table(document, data["entries"])
    for entry in data["entries"]:
        _summary(document, entry)
    return safe_filename(title), DOCX_MIMETYPE, docx_bytes(document)
