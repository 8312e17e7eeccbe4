"""Reading a filled-in application form (班组申报表, 个人申报表) back into data.

Parsing reads the value beside each known caption of portal/documents/application_form.py's
layout and the rows of the member and honour lists, so it survives edits made in Word; the
form's kind is taken from the document's core properties (subject), else from its title and
captions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from docx.oxml.ns import qn

from portal.documents.application_form import (
    CATEGORY_NAMES,
    FORM_LABELS,
    HONOUR_COLUMNS,
    HONOURS_HEADING,
    INDIVIDUAL_LABELS,
    MEMBER_COLUMNS,
    MEMBERS_HEADING,
    METRIC_FIELDS,
    OPINIONS,
    PERSON_FIELDS,
    TEAM_FIELDS,
    TEAM_LABELS,
    THEME_PREFIX,
    UNIT_FIELDS,
)
from portal.documents.safety import DEFAULT_MAX_BYTES, DocumentRejected, read_docx_safely

SUBJECT_RE = re.compile(r"^service-star-application-form:(team|individual):v\d+$")
TITLE_RE = re.compile(r"^(\d{4})?年度用户满意服务明星(班组|个人)申报表$")
TEAM_ONLY_LABELS = set(TEAM_LABELS) - set(INDIVIDUAL_LABELS)
INDIVIDUAL_ONLY_LABELS = set(INDIVIDUAL_LABELS) - set(TEAM_LABELS)


# Signature, seal and date lines under an opinion (compared without spaces or trailing colon).
SEAL_LINE_RE = re.compile(
    r"^(?:(?:评审)?负责人签字.*|(?:推荐单位)?（盖章）|\d{0,4}年\d{0,2}月\d{0,2}日)$"
)


_TEXT_SKIP_ANCESTORS = (qn("w:del"), qn("w:moveFrom"))


def _paragraph_text(p) -> str:
    """Visible text of a `w:p`, tracked insertions included, deletions and field codes left out."""
    parts = []
    for element in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        parent = element.getparent()
        if _nearest(element, _TEXT_SKIP_ANCESTORS, stop=qn("w:p")) is not None:
            continue
        if element.tag == qn("w:t"):
            parts.append(element.text or "")
        elif parent is not None and parent.tag == qn("w:r"):
            parts.append("\t" if element.tag == qn("w:tab") else "\n")
    return "".join(parts)


def _cell_lines(tc) -> list[str]:
    return [_paragraph_text(p) for p in tc.iter(qn("w:p"))]


def _cell_text(tc) -> str:
    return "\n".join(_cell_lines(tc)).strip()


def _normalize(text: str) -> str:
    """A caption as compared: no whitespace, full-width brackets, no trailing colon."""
    text = re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）").replace("％", "%")
    return text.rstrip(":：")


def _row_cells(tr) -> list:
    """The `w:tc` cells of a row, also those wrapped in content controls."""
    return [el for el in tr.iter(qn("w:tc")) if _nearest(el, (qn("w:tr"),)) is tr]


def _nearest(element, tags, stop=None):
    """The closest ancestor with one of `tags`, not looking past an ancestor tagged `stop`."""
    parent = element.getparent()
    while parent is not None and parent.tag not in tags:
        if parent.tag == stop:
            return None
        parent = parent.getparent()
    return parent


def _body_rows(body) -> Iterator:
    """Every table row of the body in document order (adjacent tables read as one)."""
    for tbl in body.iter(qn("w:tbl")):
        if _nearest(tbl, (qn("w:tbl"),)) is None:
            yield from (tr for tr in tbl.iter(qn("w:tr")) if _nearest(tr, (qn("w:tbl"),)) is tbl)


def _opinion_text(tc) -> str:
    lines = _cell_lines(tc)
    while lines and (not lines[-1].strip() or SEAL_LINE_RE.match(_normalize(lines[-1]))):
        lines.pop()
    return "\n".join(lines).strip()


def _empty_form(kind: str) -> dict:
    return {
        "category_kind": kind,
        "category_name": CATEGORY_NAMES[kind],
        "campaign_year": "",
        "campaign_theme": "",
        "unit": dict.fromkeys(UNIT_FIELDS, ""),
        "team": dict.fromkeys(TEAM_FIELDS, ""),
        "members": [],
        "person": dict.fromkeys(PERSON_FIELDS, ""),
        "service_content": "",
        "customers_served": "",
        "metrics": dict.fromkeys(METRIC_FIELDS, ""),
        "honours": [],
        "deeds_summary": "",
        "unit_opinion": "",
        "recommender_opinion": "",
        "review_opinion": "",
    }


def _detect_kind(document, rows_text: list[list[str]]) -> str | None:
    """Which form this is: from the core properties, else the title, else most of its captions.

    Without the first two, a table that merely shares a few captions (a CV has 姓名, 性别,
    民族...) is not taken for a form: at least half of the captions only that form has must
    be present.
    """
    match = SUBJECT_RE.match(document.core_properties.subject or "")
    if match:
        return match.group(1)
    for paragraph in document.paragraphs:
        title = TITLE_RE.match(_normalize(paragraph.text))
        if title:
            return "team" if title.group(2) == "班组" else "individual"
    captions = {_normalize(text) for row in rows_text for text in row}
    for kind, own in (("team", TEAM_ONLY_LABELS), ("individual", INDIVIDUAL_ONLY_LABELS)):
        if len(captions & own) * 2 >= len(own):
            return kind
    return None


def _list_item(columns, header: dict[str, int] | None, texts: list[str]) -> dict[str, str]:
    if header is None:
        header = {key: index for index, (key, _caption, _span) in enumerate(columns)}
    return {key: texts[i] if i < len(texts) else "" for key, i in header.items()}


def _list_header(columns, norms: list[str]) -> dict[str, int] | None:
    by_caption = {caption: key for key, caption, _span in columns}
    header = {by_caption[n]: i for i, n in enumerate(norms) if n in by_caption}
    if not header:
        return None
    return {key: header.get(key, len(norms)) for key, _caption, _span in columns}


def parse_application_form(stream: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES) -> dict:
    """Read a filled application form back into the data contract's dict of strings.

    Raises `DocumentRejected` (too_large, encrypted, not_docx, zip_bomb, malformed, not_our_form).
    """
    document = read_docx_safely(stream, max_bytes)
    body = document.element.body
    rows = [_row_cells(tr) for tr in _body_rows(body)]
    rows_text = [[_cell_text(tc) for tc in cells] for cells in rows]
    kind = _detect_kind(document, rows_text)
    if kind is None:
        raise DocumentRejected("not_our_form", "no form captions found")
    labels = FORM_LABELS[kind]
    opinion_keys = {key for key, _caption, _lines in OPINIONS}
    sections: dict[str, tuple[str, tuple[tuple[str, str, int], ...]]] = {
        HONOURS_HEADING: ("honours", HONOUR_COLUMNS)
    }
    if kind == "team":
        sections[MEMBERS_HEADING] = ("members", MEMBER_COLUMNS)
    data = _empty_form(kind)
    found = 0
    section = None
    header = None
    for cells, texts in zip(rows, rows_text, strict=True):
        norms = [_normalize(text) for text in texts]
        filled = [n for n in norms if n]
        if len(filled) == 1 and filled[0] in sections:
            section, header = sections[filled[0]], None
            found += 1
            continue
        if section is not None and not (norms and norms[0] in labels):
            key, columns = section
            if header is None and (found_header := _list_header(columns, norms)):
                header = found_header
            elif any(filled):
                data[key].append(_list_item(columns, header, texts))
            continue
        section = None
        index = 0
        while index < len(norms):
            target = labels.get(norms[index])
            if target is None:
                index += 1
                continue
            found += 1
            group, key = target
            value = ""
            if index + 1 < len(norms) and norms[index + 1] not in labels:
                tc = cells[index + 1]
                value = _opinion_text(tc) if key in opinion_keys else texts[index + 1]
                index += 1
            (data if group is None else data[group])[key] = value
            index += 1
    if not found:
        raise DocumentRejected("not_our_form", "no form captions found")
    _read_title(document, data)
    return data


def _read_title(document, data: dict) -> None:
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        title = TITLE_RE.match(_normalize(text))
        if title and title.group(1):
            data["campaign_year"] = title.group(1)
        elif text.startswith(THEME_PREFIX):
            data["campaign_theme"] = text[len(THEME_PREFIX) :].strip()
