"""A panel's score table (评审组评分汇总表) as a Word document: packet × expert totals.

Takes the rows the scoring exports gathered (plain strings) and never queries.
"""

from __future__ import annotations

from collections.abc import Sequence

from portal.documents import DOCX_MIMETYPE, safe_filename
from portal.documents.candidate_list import SMALL, grid, landscape_document
from portal.documents.common import add_paragraph, add_title, docx_bytes

TEXT_WIDTH_CM = 25.7
FIXED_CM = (1.2, 5.0, 4.5)  # rank, packet, unit
TAIL_CM = (1.7, 1.5, 1.3)  # figure, spread, flag


def render_score_table(
    title: str, notes: Sequence[str], header: Sequence[str], rows: Sequence[Sequence[str]]
) -> tuple[str, str, bytes]:
    """Fixed columns left and right; the experts' columns share what is left of the width."""
    experts = len(header) - len(FIXED_CM) - len(TAIL_CM)
    left = TEXT_WIDTH_CM - sum(FIXED_CM) - sum(TAIL_CM)
    expert_cm = round(left / experts, 2) if experts else 0
    widths = (*FIXED_CM, *([expert_cm] * experts), *TAIL_CM)
    document = landscape_document()
    add_title(document, title)
    for line in notes:
        add_paragraph(document, line, size=SMALL)
    add_paragraph(document, "")
    grid(document, widths, header, rows)
    return safe_filename(title), DOCX_MIMETYPE, docx_bytes(document)
