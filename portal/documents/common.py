"""Shared python-docx helpers: A4 page, Chinese fonts, bordered grid tables, bytes out."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_Merge
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

BODY_FONT = "宋体"  # SimSun, the body face of Chinese official forms
TITLE_FONT = "黑体"  # SimHei, for titles and section heads
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(10.5)  # 五号
TITLE_SIZE = Pt(16)  # 三号

A4_WIDTH = Cm(21.0)
A4_HEIGHT = Cm(29.7)

_TBL_PR_AFTER_BORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)  # fmt: skip
# Characters Windows, macOS or HTTP headers refuse or misread in a file name.


def new_document(
    *,
    margins_cm: tuple[float, float, float, float] = (2.5, 2.5, 2.5, 2.5),
    landscape: bool = False,
) -> DocumentObject:
    """A blank A4 document (portrait, or landscape for wide lists) whose Normal style already
    carries the Chinese body font.

    `margins_cm` is (top, right, bottom, left).
    """
    document = Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = A4_HEIGHT, A4_WIDTH
    else:
        section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
    top, right, bottom, left = margins_cm
    section.top_margin, section.right_margin = Cm(top), Cm(right)
    section.bottom_margin, section.left_margin = Cm(bottom), Cm(left)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    set_east_asian_font(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    return document


def text_width(document: DocumentObject) -> int:
    """Width between the margins of the first section, in EMU."""
    section = document.sections[0]
    width, left, right = section.page_width, section.left_margin, section.right_margin
    if width is None or left is None or right is None:  # new_document() sets all three
        raise ValueError("the first section has no page width or margins")
    return int(width - left - right)


def set_east_asian_font(rpr, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set `w:rFonts` on a `w:rPr` so Word renders Chinese in `east_asia`, not a Latin fallback."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def style_run(run: Run, *, font: str = BODY_FONT, size: Pt = BODY_SIZE, bold: bool = False) -> Run:
    """Give a run its East Asian font, size and weight."""
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold or None
    set_east_asian_font(run._r.get_or_add_rPr(), font)
    return run


def add_text(
    paragraph: Paragraph,
    text: str,
    *,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    bold: bool = False,
) -> Run:
    """Append a run with the right fonts to a paragraph."""
    return style_run(paragraph.add_run(text), font=font, size=size, bold=bold)


def add_paragraph(
    document: DocumentObject,
    text: str = "",
    *,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    space_after: Pt | None = None,
) -> Paragraph:
    paragraph = document.add_paragraph()
    if text:
        add_text(paragraph, text, font=font, size=size, bold=bold)
    if align is not None:
        paragraph.alignment = align
    if space_after is not None:
        paragraph.paragraph_format.space_after = space_after
    return paragraph


def add_title(document: DocumentObject, text: str, *, size: Pt = TITLE_SIZE) -> Paragraph:
    """A centred title in 黑体."""
    return add_paragraph(
        document,
        text,
        font=TITLE_FONT,
        size=size,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=Pt(6),
    )


def normalize_lines(text: str) -> list[str]:
    """Split a value into the lines it shows as, whatever newline convention it came with."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def set_cell_text(
    cell: _Cell,
    text: str,
    *,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> None:
    """Replace a cell's content with `text`, one paragraph per line."""
    lines = normalize_lines(text)
    first = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for run in list(first.runs):
        run._r.getparent().remove(run._r)
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.alignment = align
        if line:
            add_text(paragraph, line, font=font, size=size, bold=bold)


def add_cell_paragraph(
    cell: _Cell,
    text: str,
    *,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> Paragraph:
    paragraph = cell.add_paragraph()
    paragraph.alignment = align
    if text:
        add_text(paragraph, text, font=font, size=size)
    return paragraph


def set_table_borders(table: Table, *, size_eighths: int = 6) -> None:
    """Single black borders around and inside the table (independent of any table style)."""
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        # Word rejects a w:tblPr whose children are out of schema order.
        tbl_pr.insert_element_before(borders, *_TBL_PR_AFTER_BORDERS)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = borders.find(qn(f"w:{edge}"))
        if element is None:
            element = OxmlElement(f"w:{edge}")
            borders.append(element)
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(size_eighths))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")


def set_table_width(table: Table, width) -> None:
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(int(width.twips)))


def set_fixed_layout(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")


def set_repeat_header(row) -> None:
    """Repeat this row at the top of each page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


@dataclass(frozen=True)
class CellSpec:
    """One cell of a grid row: its text, how many grid columns it spans, and how it looks.

    `label=True` marks a fixed caption of the form (centred); `rows` > 1 spans rows downward
    (the photo box); `lines` adds trailing right-aligned paragraphs (seal and date lines).
    """

    text: str = ""
    span: int = 1
    label: bool = False
    rows: int = 1
    align: WD_ALIGN_PARAGRAPH | None = None
    font: str = BODY_FONT
    size: Pt = BODY_SIZE
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowSpec:
    """A row of a grid table: its cells left to right, a minimum height, header repeat."""

    cells: Sequence[CellSpec]
    height_cm: float | None = None
    header: bool = False


def build_grid_table(
    document: DocumentObject, column_widths_cm: Sequence[float], rows: Sequence[RowSpec]
) -> Table:
    """A bordered, fixed-layout table laid out on a column grid, with merged cells.

    Each row lists its cells left to right; their spans must fill the grid, except the columns
    a cell with `rows` > 1 covers in the rows below it. Merges are written as Word writes them,
    `w:gridSpan` across and `w:vMerge` down. The XML is built directly: python-docx's
    cell-by-cell merging is quadratic and took seconds for a two-page form.
    """
    columns = len(column_widths_cm)
    table = document.add_table(rows=0, cols=columns)
    table.autofit = False
    set_fixed_layout(table)
    set_table_width(table, Cm(sum(column_widths_cm)))
    set_table_borders(table)
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, column_widths_cm, strict=True):
        grid_col.w = Cm(width)
    spanning_down: dict[int, tuple[int, int]] = {}  # first column -> (span, rows still to cover)
    for row_index, row_spec in enumerate(rows):
        tr = table._tbl.add_tr()
        row = _Row(tr, table)
        if row_spec.height_cm is not None:
            row.height = Cm(row_spec.height_cm)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        if row_spec.header:
            set_repeat_header(row)
        specs = list(row_spec.cells)
        col = 0
        while col < columns:
            if col in spanning_down:
                span, left = spanning_down.pop(col)
                tc = _add_tc(tr, column_widths_cm[col : col + span])
                tc.vMerge = ST_Merge.CONTINUE
                if left > 1:
                    spanning_down[col] = (span, left - 1)
                col += span
                continue
            if not specs:
                break
            spec = specs.pop(0)
            tc = _add_tc(tr, column_widths_cm[col : col + spec.span])
            if spec.rows > 1:
                tc.vMerge = ST_Merge.RESTART
                spanning_down[col] = (spec.span, spec.rows - 1)
            _fill_cell(_Cell(tc, table), spec)
            col += spec.span
        if col != columns or specs:
            raise ValueError(f"the cells of row {row_index} do not fill the {columns}-column grid")
    return table


def _add_tc(tr, widths_cm: Sequence[float]):
    tc = tr.add_tc()
    tc.width = Cm(sum(widths_cm))
    if len(widths_cm) > 1:
        tc.grid_span = len(widths_cm)
    return tc


def _fill_cell(cell: _Cell, spec: CellSpec) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    align = spec.align
    if align is None and spec.label:
        align = WD_ALIGN_PARAGRAPH.CENTER
    set_cell_text(cell, spec.text, font=spec.font, size=spec.size, align=align)
    for line in spec.lines:
        add_cell_paragraph(
            cell, line, font=spec.font, size=spec.size, align=WD_ALIGN_PARAGRAPH.RIGHT
        )


def place_picture(cell: _Cell, blob: bytes, box_cm: tuple[float, float]) -> None:
    """Put the picture in the cell in place of its text, as large as fits the box, aspect kept.

    Bytes python-docx cannot read as an image raise before the cell is touched.
    """
    image = Image.from_blob(blob)
    if not (image.px_width and image.px_height):
        raise ValueError("the image has no size")
    box_width, box_height = box_cm
    ratio = image.px_width / image.px_height
    if ratio > box_width / box_height:
        width, height = Cm(box_width), Cm(box_width / ratio)
    else:
        width, height = Cm(box_height * ratio), Cm(box_height)
    first, *others = cell.paragraphs
    for paragraph in others:
        paragraph._p.getparent().remove(paragraph._p)
    for run in first.runs:
        run._r.getparent().remove(run._r)
    first.add_run().add_picture(io.BytesIO(blob), width=width, height=height)


def docx_bytes(document: DocumentObject) -> bytes:
    """Serialize a document to the bytes of a .docx file."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
