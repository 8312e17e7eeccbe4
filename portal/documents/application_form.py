"""The official application forms (班组申报表, 个人申报表) as Word documents: layout and rendering.

The layout follows the paper form: one bordered table on a 12-column grid, a fixed caption in
each label cell and the value in the cell to its right; the form's identity is also kept in the
document's core properties (subject). Reading a filled-in form back is
portal/documents/application_form_reader.py.
"""

from __future__ import annotations

import logging

from docx.enum.text import WD_ALIGN_PARAGRAPH
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

FORM_SUBJECT = "service-star-application-form:{kind}:v1"
log = logging.getLogger(__name__)

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
