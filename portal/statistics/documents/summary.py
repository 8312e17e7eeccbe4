"""The aggregated activity statistics (创建活动信息统计汇总表) as Word and as CSV."""

from __future__ import annotations

from docx.shared import Pt
from flask_babel import gettext as _

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
from portal.documents.spreadsheet import CSV_MIMETYPE, csv_bytes
from portal.statistics.models import COUNT_FIELDS, COUNT_NAMES
from portal.statistics.service import Aggregation, Row

SMALL = Pt(9)  # 小五


def _title(aggregation: Aggregation) -> str:
    return _("Activity statistics of campaign %(year)s", year=aggregation.campaign.year)


def _headers(first: str) -> list[str]:
    return [first, _("Tables filed"), *(str(text) for _name, text in COUNT_FIELDS)]


def _values(row: Row, label: str | None = None) -> list[str]:
    return [label if label is not None else row.label, str(row.tables)] + [
        str(row.sums[name]) for name in COUNT_NAMES
    ]


def _sections(aggregation: Aggregation) -> list[tuple[str, list[list[str]]]]:
    total = _("Total")
    return [
        (
            _("By system"),
            [_values(r) for r in aggregation.by_system] + [_values(aggregation.total, total)],
        ),
        (
            _("By district or industry"),
            [_values(r) for r in aggregation.by_area] + [_values(aggregation.total, total)],
        ),
    ]


def summary_docx(aggregation: Aggregation) -> tuple[str, str, bytes]:
    """(filename, mimetype, bytes) of the aggregation as a landscape A4 Word document."""
    document = new_document(margins_cm=(1.8, 1.5, 1.8, 1.5), landscape=True)
    add_title(document, _title(aggregation))
    widths = [3.2, 1.4] + [1.8] * len(COUNT_NAMES)
    for heading, rows in _sections(aggregation):
        add_paragraph(document, heading, bold=True, space_after=Pt(4))
        specs = [
            RowSpec([CellSpec(h, label=True, size=SMALL) for h in _headers(heading)], header=True)
        ]
        specs += [RowSpec([CellSpec(v, size=SMALL) for v in row]) for row in rows]
        build_grid_table(document, widths, specs)
        add_paragraph(document, "", space_after=Pt(8))
    filename = safe_filename(_title(aggregation))
    return filename, DOCX_MIMETYPE, docx_bytes(document)


def summary_csv(aggregation: Aggregation) -> tuple[str, str, bytes]:
    """(filename, mimetype, bytes) through the portal's one CSV writer."""
    lines = []
    for heading, rows in _sections(aggregation):
        lines.append([_("Section"), *_headers(heading)])
        lines.extend([heading, *row] for row in rows)
    filename = safe_filename(_title(aggregation), extension=".csv")
    return filename, CSV_MIMETYPE, csv_bytes(lines)
