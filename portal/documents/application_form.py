"""The official application forms (班组申报表, 个人申报表) as Word documents: render and parse.

The layout follows the paper form: one bordered table on a 12-column grid, a fixed caption in
each label cell and the value in the cell to its right. Parsing reads the value beside each known
caption and the rows of the member and honour lists, so it survives edits made in Word; the
form's identity is also kept in the document's core properties (subject).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import BinaryIO

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import _Cell

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
    place_picture,
)
from portal.documents.safety import DEFAULT_MAX_BYTES, DocumentRejected, read_docx_safely

FORM_SUBJECT = "service-star-application-form:{kind}:v1"
log = logging.getLogger(__name__)

SUBJECT_RE = re.compile(r"^service-star-application-form:(team|individual):v\d+$")
TITLE_RE = re.compile(r"^(\d{4})?年度用户满意服务明星(班组|个人)申报表$")
THEME_PREFIX = "活动主题："
CATEGORY_NAMES = {"team": "班组", "individual": "个人"}
GRID_CM = (0.8,) * 20  # 20 columns of 0.8 cm: 16 cm between 2.5 cm margins
SMALL = Pt(9)

UNIT_FIELDS = (
    "name",
    "credit_code",
    "unit_nature",
    "superior",
    "industry",
    "district",
    "address",
    "postcode",
)
TEAM_FIELDS = (
    "name",
    "founded_on",
    "member_count",
    "average_age",
    "women_count",
    "women_share",
    "leader_name",
    "leader_post",
    "leader_mobile",
)
PERSON_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "political_status",
    "education",
    "id_number",
    "work_start_date",
    "post_start_date",
    "years_in_post",
    "post",
    "office_phone",
    "mobile",
    "email",
)
METRIC_FIELDS = (
    "on_time_rate",
    "satisfaction_rate",
    "grievance_rate",
    "complaint_rate",
    "complaint_handling_rate",
)
MEMBER_COLUMNS = (
    ("name", "姓名", 3),
    ("sex", "性别", 2),
    ("birth_date", "出生日期", 3),
    ("id_number", "身份证号码", 5),
    ("post", "岗位", 4),
    ("years_in_post", "本岗位年限", 3),
)
HONOUR_COLUMNS = (("title", "荣誉称号", 10), ("awarded_by", "授予单位", 6), ("year", "获得年份", 4))
OPINIONS = (
    ("unit_opinion", "单位意见", ("负责人签字：", "（盖章）", "年    月    日")),
    ("recommender_opinion", "推荐单位意见", ("推荐单位（盖章）", "年    月    日")),
    ("review_opinion", "评审意见", ("评审负责人签字：", "年    月    日")),
)
MEMBERS_HEADING = "班组成员名单"
HONOURS_HEADING = "所获荣誉"
PHOTO_TEXT = "照片\n（二寸免冠）"
PHOTO_BOX_CM = (2.5, 3.5)  # the largest the photo is printed, inside the 3.2 cm wide box
FOOTNOTE = "注：本表加盖公章后扫描上传，原件由推荐单位留存。"
MIN_MEMBER_ROWS = 5
MIN_HONOUR_ROWS = 3

# Caption of each label cell -> where its value lives in the data dict.
UNIT_LABELS = {
    "单位名称": ("unit", "name"),
    "统一社会信用代码": ("unit", "credit_code"),
    "单位性质": ("unit", "unit_nature"),
    "所属上级单位": ("unit", "superior"),
    "所属行业": ("unit", "industry"),
    "所在区": ("unit", "district"),
    "通讯地址": ("unit", "address"),
    "邮政编码": ("unit", "postcode"),
}
SERVICE_LABELS = {
    "主要服务内容": (None, "service_content"),
    "服务对象": (None, "customers_served"),
    "服务及时率（%）": ("metrics", "on_time_rate"),
    "客户满意评价率（%）": ("metrics", "satisfaction_rate"),
    "客户抱怨率（%）": ("metrics", "grievance_rate"),
    "客户投诉率（%）": ("metrics", "complaint_rate"),
    "投诉处理满意率（%）": ("metrics", "complaint_handling_rate"),
    "主要事迹": (None, "deeds_summary"),
    **{label: (None, key) for key, label, _lines in OPINIONS},
}
TEAM_LABELS = {
    "班组名称": ("team", "name"),
    **UNIT_LABELS,
    "班组成立时间": ("team", "founded_on"),
    "班组人数": ("team", "member_count"),
    "平均年龄（岁）": ("team", "average_age"),
    "女性人数": ("team", "women_count"),
    "女性占比（%）": ("team", "women_share"),
    "班组长姓名": ("team", "leader_name"),
    "班组长职务": ("team", "leader_post"),
    "班组长手机": ("team", "leader_mobile"),
    **SERVICE_LABELS,
}
INDIVIDUAL_LABELS = {
    "姓名": ("person", "name"),
    "性别": ("person", "sex"),
    "出生日期": ("person", "birth_date"),
    "民族": ("person", "ethnicity"),
    "政治面貌": ("person", "political_status"),
    "学历": ("person", "education"),
    "身份证号码": ("person", "id_number"),
    "参加工作时间": ("person", "work_start_date"),
    "现岗位起始时间": ("person", "post_start_date"),
    "现岗位工作年限": ("person", "years_in_post"),
    "岗位（职务）": ("person", "post"),
    **UNIT_LABELS,
    "办公电话": ("person", "office_phone"),
    "手机号码": ("person", "mobile"),
    "电子邮箱": ("person", "email"),
    **SERVICE_LABELS,
}
FORM_LABELS = {"team": TEAM_LABELS, "individual": INDIVIDUAL_LABELS}
TEAM_ONLY_LABELS = set(TEAM_LABELS) - set(INDIVIDUAL_LABELS)
INDIVIDUAL_ONLY_LABELS = set(INDIVIDUAL_LABELS) - set(TEAM_LABELS)
# Signature, seal and date lines under an opinion (compared without spaces or trailing colon).
SEAL_LINE_RE = re.compile(
    r"^(?:(?:评审)?负责人签字.*|(?:推荐单位)?（盖章）|\d{0,4}年\d{0,2}月\d{0,2}日)$"
)


# ---------------------------------------------------------------------------------------------
# Rendering


def _value(data: dict, group: str | None, key: str) -> str:
    source = data if group is None else (data.get(group) or {})
    value = source.get(key, "")
    return "" if value is None else str(value)


def _label(text: str, span: int = 4) -> CellSpec:
    return CellSpec(text, span=span, label=True)


def _pairs(data: dict, labels: dict, *pairs: tuple, height_cm: float = 0.9) -> RowSpec:
    """A row of caption/value pairs: (caption, value span) or (caption, value span, label span)."""
    cells = []
    for caption, span, *label_span in pairs:
        cells.append(_label(caption, *label_span))
        cells.append(CellSpec(_value(data, *labels[caption]), span=span))
    return RowSpec(cells, height_cm=height_cm)


def _heading(text: str) -> RowSpec:
    return RowSpec([CellSpec(text, span=20, label=True, font=TITLE_FONT)], height_cm=0.8)


def _list_rows(columns, items: list[dict], minimum: int) -> list[RowSpec]:
    rows = [RowSpec([_label(caption, span) for _key, caption, span in columns], height_cm=0.8)]
    blank = {key: "" for key, _caption, _span in columns}
    for item in list(items) + [blank] * max(0, minimum - len(items)):
        cells = [
            CellSpec(str(item.get(key) or ""), span=span, align=WD_ALIGN_PARAGRAPH.CENTER)
            for key, _caption, span in columns
        ]
        rows.append(RowSpec(cells, height_cm=0.8))
    return rows


def _service_rows(data: dict, labels: dict) -> list[RowSpec]:
    return [
        _pairs(data, labels, ("主要服务内容", 16), height_cm=1.8),
        _pairs(data, labels, ("服务对象", 16)),
        _pairs(
            data, labels, ("服务及时率（%）", 2), ("客户满意评价率（%）", 2), ("客户抱怨率（%）", 4)
        ),
        _pairs(data, labels, ("客户投诉率（%）", 6), ("投诉处理满意率（%）", 6)),
    ]


def _closing_rows(data: dict) -> list[RowSpec]:
    rows = [_heading(HONOURS_HEADING)]
    rows += _list_rows(HONOUR_COLUMNS, data.get("honours") or [], MIN_HONOUR_ROWS)
    rows.append(
        RowSpec(
            [_label("主要事迹"), CellSpec(_value(data, None, "deeds_summary"), span=16)],
            height_cm=9.0,
        )
    )
    for key, caption, lines in OPINIONS:
        value = CellSpec(_value(data, None, key), span=16, lines=("", *lines))
        rows.append(RowSpec([_label(caption), value], height_cm=3.8))
    return rows


def _unit_rows(data: dict, labels: dict) -> list[RowSpec]:
    return [
        _pairs(data, labels, ("单位名称", 16)),
        _pairs(data, labels, ("统一社会信用代码", 6), ("单位性质", 6)),
        _pairs(data, labels, ("所属上级单位", 6), ("所属行业", 6)),
        _pairs(data, labels, ("所在区", 6), ("邮政编码", 6)),
        _pairs(data, labels, ("通讯地址", 16)),
    ]


def _team_rows(data: dict) -> list[RowSpec]:
    labels = TEAM_LABELS
    rows = [_pairs(data, labels, ("班组名称", 16)), *_unit_rows(data, labels)]
    rows += [
        _pairs(data, labels, ("班组成立时间", 6), ("班组人数", 6)),
        _pairs(data, labels, ("平均年龄（岁）", 2), ("女性人数", 2), ("女性占比（%）", 4)),
        _pairs(data, labels, ("班组长姓名", 2), ("班组长职务", 2), ("班组长手机", 4)),
        *_service_rows(data, labels),
        _heading(MEMBERS_HEADING),
        *_list_rows(MEMBER_COLUMNS, data.get("members") or [], MIN_MEMBER_ROWS),
        *_closing_rows(data),
    ]
    return rows


def _individual_rows(data: dict) -> list[RowSpec]:
    labels = INDIVIDUAL_LABELS

    def beside_photo(*pairs: tuple) -> RowSpec:
        return _pairs(data, labels, *pairs, height_cm=1.3)

    photo = CellSpec(PHOTO_TEXT, span=4, rows=4, label=True)  # 3.2 cm wide, two-inch photo
    first = _pairs(data, labels, ("姓名", 5, 3), ("性别", 5, 3))
    rows = [
        RowSpec([*first.cells, photo], height_cm=1.3),
        beside_photo(("出生日期", 5, 3), ("民族", 5, 3)),
        beside_photo(("政治面貌", 5, 3), ("学历", 5, 3)),
        beside_photo(("身份证号码", 13, 3)),
        _pairs(
            data, labels, ("参加工作时间", 4, 3), ("现岗位起始时间", 4, 3), ("现岗位工作年限", 3, 3)
        ),
        _pairs(data, labels, ("岗位（职务）", 16)),
        *_unit_rows(data, labels),
        _pairs(data, labels, ("办公电话", 4, 3), ("手机号码", 3, 3), ("电子邮箱", 4, 3)),
        *_service_rows(data, labels),
        *_closing_rows(data),
    ]
    return rows


def _kind(data: dict) -> str:
    kind = data.get("category_kind")
    if kind not in FORM_LABELS:
        raise ValueError(f"category_kind must be 'team' or 'individual', not {kind!r}")
    return kind


def form_title(kind: str, year: str) -> str:
    return f"{year}年度用户满意服务明星{CATEGORY_NAMES[kind]}申报表"


def _place_photo(table, photo: bytes) -> None:
    """The photo in the individual form's photo box (the last cell of the first row)."""
    cell = _Cell(table._tbl.tr_lst[0].tc_lst[-1], table)
    try:
        place_picture(cell, photo, PHOTO_BOX_CM)
    except Exception:  # an unreadable photo leaves the box as printed, never fails the form
        log.warning("the applicant's photo could not be read as an image", exc_info=True)


def render_application_form(data: dict, photo: bytes | None = None) -> tuple[str, str, bytes]:
    """The filled official form for printing, sealing and signing, as (filename, mimetype, bytes).

    `data` follows the application-form data contract (see `portal.applications.formdata`);
    `photo`, the applicant's JPEG or PNG bytes, goes in the individual form's photo box.
    """
    kind = _kind(data)
    year = _value(data, None, "campaign_year")
    title = form_title(kind, year)
    document = new_document()
    properties = document.core_properties
    properties.subject = FORM_SUBJECT.format(kind=kind)
    properties.title = title
    properties.keywords = "用户满意服务明星 申报表"
    properties.author = ""
    properties.last_modified_by = ""
    properties.comments = ""
    properties.language = "zh-CN"
    add_title(document, title)
    theme = _value(data, None, "campaign_theme")
    if theme:
        add_paragraph(
            document, THEME_PREFIX + theme, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=Pt(6)
        )
    rows = _team_rows(data) if kind == "team" else _individual_rows(data)
    table = build_grid_table(document, GRID_CM, rows)
    if photo and kind != "team":
        _place_photo(table, photo)
    add_paragraph(document, FOOTNOTE, size=SMALL)
    name = _value(data, "team" if kind == "team" else "person", "name")
    filename = safe_filename(year, f"{CATEGORY_NAMES[kind]}申报表", name)
    return filename, DOCX_MIMETYPE, docx_bytes(document)


# ---------------------------------------------------------------------------------------------
# Parsing


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
