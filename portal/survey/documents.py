"""The survey's documents: the A4 poster for the service window, the office's Word summary and
CSV of the answers. Each takes what the service gathered; none queries by itself."""

from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from flask_babel import gettext as _

from portal.clock import SHANGHAI
from portal.documents.common import add_paragraph, add_title, docx_bytes, new_document
from portal.documents.spreadsheet import csv_bytes
from portal.survey.flags import describe
from portal.survey.models import SurveyAnswer

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def poster(unit: str, team: str, url: str, qr_png: bytes) -> bytes:
    """An A4 page to put at the window: who is asking, the code, the link, how long it takes."""
    document = new_document(margins_cm=(2.0, 2.0, 2.0, 2.0))
    add_title(document, "服务质量顾客评价", size=Pt(28))
    add_paragraph(document, unit, size=Pt(18), align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(document, team, size=Pt(18), align=WD_ALIGN_PARAGRAPH.CENTER, space_after=Pt(12))
    picture = document.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(qr_png), width=Cm(11))
    add_paragraph(
        document,
        "请用手机扫码，为我们的服务打分（约30秒，无需注册）",
        size=Pt(16),
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    add_paragraph(
        document,
        "Scan to rate our service (about 30 seconds, no account needed)",
        size=Pt(12),
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    add_paragraph(document, url, size=Pt(12), align=WD_ALIGN_PARAGRAPH.CENTER)
    return docx_bytes(document)


def _local(answer: SurveyAnswer) -> str:
    return answer.created_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def answers_csv(questions: list[dict], answers: list[SurveyAnswer]) -> bytes:
    """Every answer as a row, every cell inert in Excel (a suggestion may start with '=')."""
    header = [_("No."), _("Time (Beijing)")] + [q["zh"] for q in questions]
    header += [
        _("Recommend"),
        _("Suggestions"),
        _("Contact"),
        _("Address"),
        _("Seconds"),
        _("Flags"),
    ]
    rows: list[list[object]] = [header]
    for n, a in enumerate(answers, start=1):
        row: list[object] = [n, _local(a)] + [a.scores.get(q["key"], "") for q in questions]
        recommend = "" if a.recommend is None else (_("Yes") if a.recommend else _("No"))
        flags = "; ".join(describe(f) for f in a.flags)
        row += [recommend, a.suggestion, a.contact, a.address, a.seconds_taken or "", flags]
        rows.append(row)
    return csv_bytes(rows)


def summary_docx(title: str, questions: list[dict], figures: dict) -> bytes:
    """The figures on one page: count, rate, each item's mean, flags, suggestions."""
    document = new_document()
    add_title(document, title)
    add_paragraph(
        document,
        _("Answers: %(n)s, of which flagged: %(f)s", n=figures["answers"], f=figures["flagged"]),
    )
    rate = f"{figures['satisfaction']}%" if figures["satisfaction"] else "—"
    add_paragraph(document, _("Satisfaction rate: %(rate)s", rate=rate))
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = _("Item"), _("Mean (1–5)")
    for q in questions:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = q["zh"], str(figures["means"].get(q["key"]) or "—")
    for code, count in figures["flag_counts"].items():
        add_paragraph(document, describe({"code": code, "evidence": {"answers": count}}))
    add_paragraph(document, _("Suggestions"), bold=True)
    for text in figures["suggestions"]:
        add_paragraph(document, text)
    return docx_bytes(document)
