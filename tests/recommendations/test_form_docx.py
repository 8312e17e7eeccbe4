"""The recommendation form (推荐表) in Word: read back with python-docx, cell by cell."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

from docx import Document

from portal.recommendations import service
from tests.recommendations.helpers import awaiting, enterprise, quality_channel


def _cells(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        texts = []
        for cell in row.cells:
            if not texts or cell._tc is not getattr(texts[-1], "_tc", None):
                texts.append(cell)
        rows.append([c.text for c in texts])
    return rows


def _dedupe(row: list[str]) -> list[str]:
    out: list[str] = []
    for value in row:
        if not out or value != out[-1]:
            out.append(value)
    return out


def test_the_team_form_lists_ranked_packets_with_figures_opinion_and_seal(client, login, session):
    ch = quality_channel()
    ch.organization.name = "黄浦区质量协会"
    unit = enterprise()
    unit.name = "申城外滩大酒店有限公司"
    first, second = awaiting(ch, 2, members=10, women=4, average_age=Decimal("33.5"))
    first.team_name, second.team_name = "前厅服务班组", "客房服务班组"
    first.satisfaction_rate = Decimal("99.20")
    second.organization = unit
    second.women_share = None
    session.flush()
    submitted = datetime(2031, 11, 14, 20, 30, tzinfo=UTC)  # 15 Nov 04:30 in Beijing
    ch.campaign.recommendation_deadline = datetime(2031, 11, 15, 9, 0, tzinfo=UTC)
    ch.campaign.application_deadline = datetime(2031, 11, 10, 9, 0, tzinfo=UTC)
    ch.campaign.review_deadline = datetime(2031, 11, 25, 9, 0, tzinfo=UTC)
    ch.campaign.year = 2031
    session.flush()
    rec = service.submit_recommendation(
        session,
        ch.reviewer,
        ch.campaign,
        ch.team,
        [second.id, first.id],
        "两个班组服务规范，群众满意，同意推荐。",
        now=submitted,
    )
    session.commit()
    login(ch.reviewer)
    response = client.get(f"/recommendations/{rec.id}/form.docx")
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "filename*=UTF-8''2031-" in response.headers["Content-Disposition"]
    doc = Document(io.BytesIO(response.data))
    paragraphs = [p.text for p in doc.paragraphs if p.text]
    assert paragraphs[0] == "2031年度用户满意服务明星班组推荐表"
    assert "推荐单位：黄浦区质量协会（盖章）    推荐名额：10    推荐数：2" in paragraphs
    ranked, opinion = doc.tables
    where = "黄浦区 / 金融"
    assert _cells(ranked) == [
        ["名次", "申报单位", "班组名称", "区/行业", "人数", "平均年龄", "女性人数（占比）",
         "顾客满意率"],
        ["1", "申城外滩大酒店有限公司", "客房服务班组", where, "10", "33.5", "4", ""],
        ["2", first.organization.name, "前厅服务班组", where, "10", "33.5", "4（40.0%）",
         "99.2%"],
    ]  # fmt: skip
    rows = [_dedupe(r) for r in _cells(opinion)]
    assert rows[0] == [
        "推荐单位意见",
        "两个班组服务规范，群众满意，同意推荐。\n\n推荐单位（盖章）\n2031年11月15日",
    ]
    assert rows[1] == ["经办人", "", "联系电话", ""]
    assert doc.core_properties.subject == "service-star-recommendation-form:team:v1"


def test_the_individual_form_has_sex_age_and_post(session):
    from portal.documents.recommendation_form import render_recommendation_form

    ch = quality_channel()
    [person] = awaiting(ch, kind=ch.individual.kind, female=True, age=29, post="大堂经理")
    rec = service.save_ranking(session, ch.reviewer, ch.campaign, ch.individual, [person.id], "")
    filename, _mimetype, content = render_recommendation_form(
        service.recommendation_form_data(session, rec)
    )
    assert filename.endswith("-个人推荐表-" + ch.organization.name + ".docx")
    doc = Document(io.BytesIO(content))
    ranked, opinion = doc.tables
    assert _cells(ranked)[0] == [
        "名次", "申报单位", "姓名", "区/行业", "性别", "年龄", "岗位", "顾客满意率",
    ]  # fmt: skip
    assert _cells(ranked)[1][2:] == [
        person.person_name, "黄浦区 / 金融", "女", "29", "大堂经理", "",
    ]  # fmt: skip
    # Not submitted yet: the date is left for the hand.
    assert _dedupe(_cells(opinion)[0])[1] == "\n\n推荐单位（盖章）\n年    月    日"
