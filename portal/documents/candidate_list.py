"""The ranked candidate list of a category (拟表彰名单（排序）) as a Word document.

Takes the rows the scoring exports gathered (plain strings) and never queries.
"""

from __future__ import annotations

from collections.abc import Sequence

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

SMALL = Pt(9)


def landscape_document():
    """A4 landscape with 2 cm margins: the lists are wide."""
    return new_document(margins_cm=(2.0, 2.0, 2.0, 2.0), landscape=True)


def grid(document, widths_cm: Sequence[float], header: Sequence[str], rows: Sequence[Sequence]):
    """A bordered table: a repeated header row, then one row per record."""
    specs = [RowSpec([CellSpec(h, label=True, size=SMALL) for h in header], header=True)]
    specs += [RowSpec([CellSpec(str(v), size=SMALL) for v in row]) for row in rows]
    return build_grid_table(document, widths_cm, specs)


# 25.7 cm between the margins of a landscape page
LIST_WIDTHS_CM = (1.2, 1.2, 4.2, 4.2, 1.8, 1.8, 1.6, 1.6, 1.4, 1.4, 1.4, 4.1)


def render_candidate_list(
    title: str, notes: Sequence[str], header: Sequence[str], rows: Sequence[Sequence[str]]
) -> tuple[str, str, bytes]:
    """The list: title, the lines saying how it was computed, then the table."""
    document = landscape_document()
    add_title(document, title)
    for line in notes:
        add_paragraph(document, line, size=SMALL)
    add_paragraph(document, "")
    grid(document, LIST_WIDTHS_CM, header, rows)
    return safe_filename(title), DOCX_MIMETYPE, docx_bytes(document)
