"""The recommendation form (推荐表) of a channel organization, for seal: ranked packets of one
category with their key figures, the organization's opinion, and seal and date boxes.

`data` is gathered by `portal.recommendations.service.recommendation_form_data`.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
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

FORM_SUBJECT = "service-star-recommendation-form:{kind}:v1"
SMALL = Pt(9)
# Column captions and widths (cm, 16 cm between the margins) of the ranked list, per kind.
COLUMNS = {
    "team": (
        ("名次", "rank", 1.0),
        ("申报单位", "unit", 3.4),
        ("班组名称", "name", 3.0),
        ("区/行业", "where", 2.0),
        ("人数", "member_count", 1.1),
        ("平均年龄", "average_age", 1.4),
        ("女性人数（占比）", "women", 2.2),
        ("顾客满意率", "satisfaction_rate", 1.9),
    ),
    "individual": (
        ("名次", "rank", 1.0),
        ("申报单位", "unit", 3.6),
        ("姓名", "name", 1.8),
        ("区/行业", "where", 2.2),
        ("性别", "sex", 1.1),
        ("年龄", "age", 1.1),
        ("岗位", "post", 3.1),
        ("顾客满意率", "satisfaction_rate", 2.1),
    ),
}


def form_title(data: dict) -> str:
    return f"{data['campaign_year']}年度用户满意服务明星{data['category_name']}推荐表"


def _list_rows(data: dict) -> list[RowSpec]:
    columns = COLUMNS[data["category_kind"]]
    rows = [RowSpec([CellSpec(caption, label=True) for caption, _, _ in columns], header=True)]
    for entry in data["entries"]:
        rows.append(
            RowSpec(
                [
                    CellSpec(entry.get(key, ""), align=WD_ALIGN_PARAGRAPH.CENTER)
                    if key == "rank"
                    else CellSpec(entry.get(key, ""))
                    for _, key, _ in columns
                ],
                height_cm=0.8,
            )
        )
    if not data["entries"]:
        rows.append(RowSpec([CellSpec("（无）", span=len(columns), label=True)], height_cm=0.8))
    return rows


def _opinion_rows(data: dict, columns: int) -> list[RowSpec]:
    date_line = data["submitted_on"] or "年    月    日"
    return [
        RowSpec(
            [
                CellSpec("推荐单位意见", span=2, label=True),
                CellSpec(
                    data["opinion"],
                    span=columns - 2,
                    lines=("", "推荐单位（盖章）", date_line),
                ),
            ],
            height_cm=4.0,
        ),
        RowSpec(
            [
                CellSpec("经办人", span=2, label=True),
                CellSpec("", span=2),
                CellSpec("联系电话", span=2, label=True),
                CellSpec("", span=columns - 6),
            ],
            height_cm=0.9,
        ),
    ]


def render_recommendation_form(data: dict) -> tuple[str, str, bytes]:
    """The form for printing and sealing, as (filename, mimetype, bytes)."""
    kind = data["category_kind"]
    columns = COLUMNS[kind]
    title = form_title(data)
    document = new_document(margins_cm=(2.5, 2.5, 2.5, 2.5))
    properties = document.core_properties
    properties.subject = FORM_SUBJECT.format(kind=kind)
    properties.title = title
    properties.keywords = "用户满意服务明星 推荐表"
    properties.author = ""
    properties.last_modified_by = ""
    properties.language = "zh-CN"
    add_title(document, title)
    if data.get("campaign_theme"):
        add_paragraph(
            document,
            "活动主题：" + data["campaign_theme"],
            align=WD_ALIGN_PARAGRAPH.CENTER,
            space_after=Pt(6),
        )
    add_paragraph(
        document,
        f"推荐单位：{data['organization']}（盖章）    推荐名额：{data['quota']}    "
        f"推荐数：{len(data['entries'])}",
        space_after=Pt(6),
    )
    widths = [width for _, _, width in columns]
    build_grid_table(document, widths, _list_rows(data))
    add_paragraph(document, "", space_after=Pt(6))
    build_grid_table(document, widths, _opinion_rows(data, len(columns)))
    add_paragraph(
        document,
        "注：名次为推荐单位的推荐顺序；本表盖章后扫描上传，原件由推荐单位留存。",
        size=SMALL,
    )
    filename = safe_filename(
        data["campaign_year"], f"{data['category_name']}推荐表", data["organization"]
    )
    return filename, DOCX_MIMETYPE, docx_bytes(document)
