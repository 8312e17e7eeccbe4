"""The official application forms as Word documents: layout, fonts, round trip, edits in Word."""

from __future__ import annotations

import copy
import io
import re
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from portal.documents import DOCX_MIMETYPE
from portal.documents.application_form import render_application_form
from portal.documents.application_form_reader import parse_application_form
from portal.documents.common import docx_bytes
from portal.documents.safety import DocumentRejected

COMPUTED = {
    "team": {"member_count", "average_age", "women_count", "women_share"},
    "person": {"sex", "birth_date", "years_in_post"},
    "members": {"sex", "birth_date", "years_in_post"},
}
CJK = re.compile(r"[\u4e00-\u9fff]")
PERSON_FIELDS = ("name", "sex", "birth_date", "ethnicity", "political_status", "education",
                 "id_number", "work_start_date", "post_start_date", "years_in_post", "post",
                 "office_phone", "mobile", "email")  # fmt: skip
TEAM_FIELDS = ("name", "founded_on", "member_count", "average_age", "women_count", "women_share",
               "leader_name", "leader_post", "leader_mobile")  # fmt: skip

UNIT = {
    "name": "上海浦江银行股份有限公司陆家嘴支行",
    "credit_code": "91350100M000100Y43",
    "unit_nature": "国有控股",
    "superior": "上海浦江银行股份有限公司",
    "industry": "金融",
    "district": "浦东新区",
    "address": "上海市浦东新区陆家嘴环路100号",
    "postcode": "200120",
}
METRICS = {
    "on_time_rate": "99.2",
    "satisfaction_rate": "98.5",
    "grievance_rate": "1.2",
    "complaint_rate": "0.1",
    "complaint_handling_rate": "100",
}


def team_form() -> dict:
    return {
        "category_kind": "team",
        "category_name": "班组",
        "campaign_year": "2026",
        "campaign_theme": "质量激发工匠精神 满意引领服务升级",
        "unit": dict(UNIT),
        "team": {
            "name": "陆家嘴支行营业部柜面服务班组",
            "founded_on": "2015-03-01",
            "member_count": "3",
            "average_age": "32.3",
            "women_count": "2",
            "women_share": "66.7",
            "leader_name": "王丽",
            "leader_post": "营业部主任",
            "leader_mobile": "13812345678",
        },
        "members": [
            {
                "name": "王丽",
                "sex": "女",
                "birth_date": "1990-05-12",
                "id_number": "11010519900512204X",
                "post": "班组长",
                "years_in_post": "8",
            },
            {
                "name": "张伟",
                "sex": "男",
                "birth_date": "1995-01-01",
                "id_number": "110105199501010013",
                "post": "柜员",
                "years_in_post": "5",
            },
            {
                "name": "李娜",
                "sex": "女",
                "birth_date": "1996-07-30",
                "id_number": "110105199607300028",
                "post": "大堂经理",
                "years_in_post": "3",
            },
        ],  # fmt: skip
        "person": dict.fromkeys(PERSON_FIELDS, ""),
        "service_content": "个人储蓄、对公结算、理财咨询\n老年客户绿色通道",
        "customers_served": "陆家嘴地区个人及企业客户",
        "metrics": dict(METRICS),
        "honours": [
            {"title": "全国巾帼文明岗", "awarded_by": "全国妇联", "year": "2022"},
            {"title": "上海市青年文明号", "awarded_by": "共青团上海市委员会", "year": "2024"},
        ],
        "deeds_summary": "班组坚持“客户至上”理念，推行首问负责制。\n近三年零投诉，满意率98.5%。",
        "unit_opinion": "同意推荐。",
        "recommender_opinion": "经审核，材料属实，同意推荐该班组。\n排序第一。",
        "review_opinion": "符合申报条件。",
    }


def individual_form() -> dict:
    return {
        "category_kind": "individual",
        "category_name": "个人",
        "campaign_year": "2026",
        "campaign_theme": "质量激发工匠精神 满意引领服务升级",
        "unit": dict(UNIT),
        "team": dict.fromkeys(TEAM_FIELDS, ""),
        "members": [],
        "person": {
            "name": "陈静",
            "sex": "女",
            "birth_date": "1988-09-09",
            "ethnicity": "汉族",
            "political_status": "中共党员",
            "education": "大学本科",
            "id_number": "310104198809091224",
            "work_start_date": "2010-07-01",
            "post_start_date": "2015-02-01",
            "years_in_post": "11",
            "post": "大堂经理",
            "office_phone": "021-58881234",
            "mobile": "13900001111",
            "email": "chenjing@example.com",
        },
        "service_content": "厅堂服务、客户引导与投诉处理",
        "customers_served": "到访网点的个人客户，其中老年客户约四成",
        "metrics": dict(METRICS),
        "honours": [
            {"title": "上海市三八红旗手", "awarded_by": "上海市妇女联合会", "year": "2023"}
        ],
        "deeds_summary": "十一年如一日坚守大堂岗位。\n\n自创“三声服务法”，在全行推广。",
        "unit_opinion": "",
        "recommender_opinion": "同意推荐。",
        "review_opinion": "",
    }


def without_computed(data: dict) -> dict:
    data = copy.deepcopy(data)
    for group in ("team", "person"):
        for key in COMPUTED[group]:
            data[group].pop(key)
    for member in data["members"]:
        for key in COMPUTED["members"]:
            member.pop(key)
    return data


def parse_bytes(content: bytes) -> dict:
    return parse_application_form(io.BytesIO(content))


def document_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


@pytest.mark.parametrize("make", [team_form, individual_form])
def test_rendered_form_parses_back_to_the_same_data(make):
    data = make()
    _filename, _mimetype, content = render_application_form(data)

    parsed = parse_bytes(content)

    assert without_computed(parsed) == without_computed(data)


def test_computed_figures_are_written_on_the_form_too():
    parsed = parse_bytes(render_application_form(team_form())[2])

    assert parsed["team"]["average_age"] == "32.3"
    assert parsed["team"]["women_share"] == "66.7"
    assert [m["sex"] for m in parsed["members"]] == ["女", "男", "女"]


def test_filename_and_mimetype():
    data = team_form()
    data["team"]["name"] = '营业部/柜面:"服务"班组?'

    filename, mimetype, _content = render_application_form(data)

    assert filename == "2026-班组申报表-营业部_柜面_服务_班组.docx"
    assert mimetype == DOCX_MIMETYPE
    assert render_application_form(individual_form())[0] == "2026-个人申报表-陈静.docx"


def test_unknown_category_kind_is_a_programming_error():
    data = team_form()
    data["category_kind"] = "enterprise"

    with pytest.raises(ValueError, match="category_kind"):
        render_application_form(data)


@pytest.mark.parametrize("make", [team_form, individual_form])
def test_every_run_with_chinese_text_carries_the_east_asian_font(make):
    document = Document(io.BytesIO(render_application_form(make())[2]))
    runs = document.element.body.iter(qn("w:r"))
    chinese_runs = [r for r in runs if CJK.search("".join(t.text for t in r.iter(qn("w:t"))))]

    assert len(chinese_runs) > 40
    fonts = {r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in chinese_runs}
    assert fonts == {"宋体", "黑体"}
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "宋体"


def test_page_is_a4_with_title_theme_and_form_identity():
    document = Document(io.BytesIO(render_application_form(team_form())[2]))
    section = document.sections[0]

    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    title, theme = document.paragraphs[0], document.paragraphs[1]
    assert title.text == "2026年度用户满意服务明星班组申报表"
    assert title.runs[0].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert theme.text == "活动主题：质量激发工匠精神 满意引领服务升级"
    assert document.core_properties.subject == "service-star-application-form:team:v1"
    assert document.core_properties.title == "2026年度用户满意服务明星班组申报表"


def _cell_texts(content: bytes) -> list[list[str]]:
    table = Document(io.BytesIO(content)).tables[0]
    rows = []
    for row in table.rows:
        seen, texts = set(), []
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                texts.append(cell.text)
        rows.append(texts)
    return rows


def test_opinion_boxes_have_room_to_sign_and_seal():
    rows = _cell_texts(render_application_form(individual_form())[2])
    boxes = {row[0]: row[1] for row in rows if len(row) == 2}

    assert boxes["单位意见"] == "\n\n负责人签字：\n（盖章）\n年    月    日"
    assert boxes["推荐单位意见"] == "同意推荐。\n\n推荐单位（盖章）\n年    月    日"
    assert boxes["评审意见"] == "\n\n评审负责人签字：\n年    月    日"
    assert rows[-3:] == [
        ["单位意见", boxes["单位意见"]],
        ["推荐单位意见", boxes["推荐单位意见"]],
        ["评审意见", boxes["评审意见"]],
    ]


def test_team_form_lists_members_and_honours_under_their_headings():
    rows = _cell_texts(render_application_form(team_form())[2])
    members_at = rows.index(["班组成员名单"])
    honours_at = rows.index(["所获荣誉"])

    assert rows[members_at + 1] == ["姓名", "性别", "出生日期", "身份证号码", "岗位", "本岗位年限"]
    assert rows[members_at + 2] == ["王丽", "女", "1990-05-12", "11010519900512204X", "班组长", "8"]
    # Blank rows to fill by hand up to five members.
    assert rows[members_at + 5 : members_at + 7] == [[""] * 6, [""] * 6]
    assert rows[honours_at + 1] == ["荣誉称号", "授予单位", "获得年份"]
    assert rows[honours_at + 3] == ["上海市青年文明号", "共青团上海市委员会", "2024"]


def _spans(tr) -> list[tuple[str, str | None, str | None]]:
    """(text, gridSpan, vMerge) of each w:tc of a row, read from the XML."""
    out = []
    for tc in tr.iter(qn("w:tc")):
        tc_pr = tc.find(qn("w:tcPr"))
        span = tc_pr.find(qn("w:gridSpan"))
        merge = tc_pr.find(qn("w:vMerge"))
        out.append(
            (
                "".join(t.text for t in tc.iter(qn("w:t"))),
                None if span is None else span.get(qn("w:val")),
                None if merge is None else merge.get(qn("w:val"), "continue"),
            )
        )
    return out


def test_merged_cells_are_real_word_merges():
    team = Document(io.BytesIO(render_application_form(team_form())[2])).tables[0]._tbl
    person = Document(io.BytesIO(render_application_form(individual_form())[2])).tables[0]._tbl
    team_rows = [_spans(tr) for tr in team.tr_lst]
    person_rows = [_spans(tr) for tr in person.tr_lst]

    assert len(team.tblGrid.gridCol_lst) == 20
    # Caption over 4 grid columns, the deeds box over the other 16.
    deeds = next(row for row in team_rows if row[0][0] == "主要事迹")
    assert [(span, merge) for _text, span, merge in deeds] == [("4", None), ("16", None)]
    assert deeds[1][0].startswith("班组坚持")
    assert ("班组成员名单", "20", None) in [row[0] for row in team_rows]
    # The photo box: four columns wide, four rows high, at the right of the first rows.
    assert [row[-1] for row in person_rows[:4]] == [
        ("照片（二寸免冠）", "4", "restart"),
        ("", "4", "continue"),
        ("", "4", "continue"),
        ("", "4", "continue"),
    ]
    assert not any(merge for row in person_rows[4:] for _t, _s, merge in row)


def _edit_value(document, caption: str, new_text: str) -> None:
    for table in document.tables:
        for row in table.rows:
            cells = list(dict.fromkeys(row.cells))  # a merged cell repeats: keep the first
            for index, cell in enumerate(cells[:-1]):
                if cell.text == caption:
                    cells[index + 1].text = new_text
                    return
    raise AssertionError(f"caption {caption} not found")


def test_values_edited_in_word_are_read_back():
    document = Document(io.BytesIO(render_application_form(team_form())[2]))
    _edit_value(document, "班组名称", "陆家嘴支行营业部")
    _edit_value(document, "客户满意评价率（%）", "99.0")
    members_table = document.tables[0]
    header = next(i for i, r in enumerate(members_table.rows) if r.cells[0].text == "班组成员名单")
    blank_row = members_table.rows[header + 5]
    for cell, text in zip(
        dict.fromkeys(blank_row.cells),
        ["赵敏", "女", "1999-03-03", "110105199903030021", "柜员", "1"],
        strict=True,
    ):
        cell.text = text
    opinion = next(
        row.cells[-1] for row in members_table.rows if row.cells[0].text == "推荐单位意见"
    )
    opinion.paragraphs[0].text = "同意推荐，排序第二。"
    second_line = opinion.paragraphs[1]._p
    second_line.getparent().remove(second_line)
    opinion.paragraphs[-1].text = "2026年11月14日"

    parsed = parse_bytes(docx_bytes(document))

    assert parsed["team"]["name"] == "陆家嘴支行营业部"
    assert parsed["metrics"]["satisfaction_rate"] == "99.0"
    assert [m["name"] for m in parsed["members"]] == ["王丽", "张伟", "李娜", "赵敏"]
    assert parsed["members"][3]["id_number"] == "110105199903030021"
    assert parsed["recommender_opinion"] == "同意推荐，排序第二。"
    assert parsed["unit"] == UNIT


def test_rows_added_in_word_and_tracked_insertions_are_read():
    document = Document(io.BytesIO(render_application_form(individual_form())[2]))
    table = document.tables[0]
    honour_row = next(r for r in table.rows if r.cells[0].text == "上海市三八红旗手")
    # Word's "insert row below" copies the row; its text is then typed over.
    new_tr = copy.deepcopy(honour_row._tr)
    honour_row._tr.addnext(new_tr)
    new_row = table.rows[table._tbl.tr_lst.index(new_tr)]
    for cell, text in zip(dict.fromkeys(new_row.cells), ["全国五一劳动奖章", "全国总工会", "2025"],
                          strict=True):  # fmt: skip
        cell.text = text
    # A tracked change: "汉族" deleted and "回族" inserted, as Word writes it.
    for row in table.rows:
        cells = list(dict.fromkeys(row.cells))
        if len(cells) > 3 and cells[2].text == "民族":
            paragraph = cells[3].paragraphs[0]._p
            run = paragraph.find(qn("w:r"))
            run.find(qn("w:t")).tag = qn("w:delText")
            deleted = paragraph.makeelement(qn("w:del"), {qn("w:id"): "1", qn("w:author"): "a"})
            paragraph.replace(run, deleted)
            deleted.append(run)
            inserted = copy.deepcopy(deleted)
            inserted.tag = qn("w:ins")
            inserted.find(qn("w:r")).find(qn("w:delText")).tag = qn("w:t")
            inserted.find(qn("w:r")).find(qn("w:t")).text = "回族"
            deleted.addnext(inserted)

    parsed = parse_bytes(docx_bytes(document))

    assert parsed["honours"] == [
        {"title": "上海市三八红旗手", "awarded_by": "上海市妇女联合会", "year": "2023"},
        {"title": "全国五一劳动奖章", "awarded_by": "全国总工会", "year": "2025"},
    ]
    assert parsed["person"]["ethnicity"] == "回族"


def test_form_without_core_properties_is_recognised_by_its_title():
    document = Document(io.BytesIO(render_application_form(individual_form())[2]))
    document.core_properties.subject = ""

    parsed = parse_bytes(docx_bytes(document))

    assert parsed["category_kind"] == "individual"
    assert parsed["person"]["name"] == "陈静"


def test_unrelated_word_document_is_not_our_form():
    document = Document()
    document.add_paragraph("会议纪要：讨论年度服务工作。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "姓名"
    table.cell(0, 1).text = "张三"

    with pytest.raises(DocumentRejected) as rejected:
        parse_bytes(docx_bytes(document))

    assert rejected.value.key == "not_our_form"


def test_form_with_every_caption_removed_is_not_our_form():
    document = Document(io.BytesIO(render_application_form(team_form())[2]))
    for table in document.tables:
        table._tbl.getparent().remove(table._tbl)

    with pytest.raises(DocumentRejected) as rejected:
        parse_bytes(docx_bytes(document))

    assert rejected.value.key == "not_our_form"


def test_blank_form_filled_in_word_is_read():
    blank = individual_form()
    for group in ("unit", "person", "metrics"):
        blank[group] = dict.fromkeys(blank[group], "")
    for key in ("campaign_theme", "service_content", "customers_served", "deeds_summary",
                "unit_opinion", "recommender_opinion", "review_opinion"):  # fmt: skip
        blank[key] = ""
    blank["honours"] = []
    content = render_application_form(blank)[2]
    assert parse_bytes(content) == blank

    document = Document(io.BytesIO(content))
    _edit_value(document, "姓名", "陈静")
    _edit_value(document, "身份证号码", "310104198809091224")
    table = document.tables[0]
    heading = next(i for i, r in enumerate(table.rows) if r.cells[0].text == "所获荣誉")
    for cell, text in zip(
        dict.fromkeys(table.rows[heading + 2].cells),
        ["岗位能手", "上海浦江银行", "2021"],
        strict=True,
    ):
        cell.text = text

    parsed = parse_bytes(docx_bytes(document))

    assert parsed["person"]["name"] == "陈静"
    assert parsed["person"]["id_number"] == "310104198809091224"
    assert parsed["honours"] == [
        {"title": "岗位能手", "awarded_by": "上海浦江银行", "year": "2021"}
    ]
    assert parsed["unit"] == dict.fromkeys(UNIT, "")
