"""Exports of the scoring results: the ranked candidate list and each panel's score table,
as Word documents and as CSV (UTF-8 with a byte-order mark, which Excel opens as Chinese).

The rows are built here once from what the results service gathered, in the programme's own
Chinese terms (these are official documents), then written by the Word exporters in
portal/documents or by the portal's one CSV writer (portal.documents.spreadsheet).
"""

from __future__ import annotations

from decimal import Decimal

from portal.campaigns.models import AggregationMethod
from portal.documents import safe_filename
from portal.documents.spreadsheet import CSV_MIMETYPE, csv_bytes
from portal.i18n import localized_name
from portal.scoring.ranking import TieBreak
from portal.scoring.results.service import CategoryResults, ListStatus, PanelTable

METHOD_ZH = {
    AggregationMethod.MEAN: "全部专家评分的平均分",
    AggregationMethod.TRIMMED_MEAN: "去掉一个最高分和一个最低分后的平均分（五份评分及以上）",
    AggregationMethod.Z_SCORE: "标准分：每位专家的评分先标准化，再取平均，折算为 50 + 10z（0–100）",
}
TIE_ZH = {
    TieBreak.CRITERIA: "同分，按评审项目小计排序",
    TieBreak.SHEETS: "同分，按评分表份数排序",
    TieBreak.SUBMITTED: "同分，按申报时间排序",
    TieBreak.UNRESOLVED: "同分且无法区分，待办公室决定",
}
TIE_RULE_ZH = (
    "同分时依次比较：评审项目小计（不含加分、扣分）较高者在前；评分表份数较多者在前；"
    "申报时间较早者在前。"
)
LIST_HEADER = (
    "序号", "排名", "申报名称", "申报单位", "区", "行业",
    "评分", "平均分", "评分表", "分差", "入选", "说明",
)  # fmt: skip


def figure(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def list_title(results: CategoryResults) -> str:
    return f"{results.campaign.year}年度用户满意服务明星（{results.category.name_zh}）评审排序名单"


def list_notes(results: CategoryResults) -> list[str]:
    confirmed = "已确认" if results.status is ListStatus.CONFIRMED else "未确认"
    return [
        f"汇总方法：{METHOD_ZH[results.method]}。"
        f"分差超过 {figure(results.campaign.score_spread_threshold)} 分的标为分差过大。",
        TIE_RULE_ZH,
        f"名额 {results.category.quota} 名，入选 {results.ranking.in_count} 名；名单{confirmed}。",
    ]


def list_rows(results: CategoryResults) -> list[list[str]]:
    rows = []
    for row in results.rows:
        ranked, app, score = row.ranked, row.application, row.score
        notes = []
        if ranked.tie_broken_by is not None:
            notes.append(TIE_ZH[ranked.tie_broken_by])
        if score.flagged:
            notes.append("分差过大")
        if row.move is not None:
            verb = "调入" if row.move.direction == "in" else "调出"
            notes.append(f"办公室{verb}：{row.move.reason}")
        if score.score is None:
            notes.append("尚无锁定的评分表")
        rows.append(
            [
                str(ranked.position),
                str(ranked.rank),
                app.title,
                app.organization.name,
                localized_name(app.district, chinese=True),
                localized_name(app.industry, chinese=True),
                figure(score.score),
                figure(score.mean),
                str(score.sheet_count),
                figure(score.spread),
                "是" if ranked.in_list else "否",
                "；".join(notes),
            ]
        )
    return rows


def candidate_list_docx(results: CategoryResults) -> tuple[str, str, bytes]:
    # why: python-docx and lxml load only when a Word file is made (test_footprint)
    from portal.documents.candidate_list import render_candidate_list

    return render_candidate_list(
        list_title(results), list_notes(results), LIST_HEADER, list_rows(results)
    )


def candidate_list_csv(results: CategoryResults) -> tuple[str, str, bytes]:
    filename = safe_filename(list_title(results), extension=".csv")
    return filename, CSV_MIMETYPE, csv_bytes([LIST_HEADER, *list_rows(results)])


def panel_title(table: PanelTable) -> str:
    return f"{table.panel.campaign.year}年度用户满意服务明星 {table.panel.name} 评分汇总表"


def panel_header(table: PanelTable) -> list[str]:
    experts = [e.name for e in table.experts]
    return ["排名", "申报名称", "申报单位", *experts, "评分", "分差", "分差过大"]


def panel_rows(table: PanelTable) -> list[list[str]]:
    rows = []
    for position, row in enumerate(table.rows, start=1):
        rows.append(
            [
                str(position),
                row.application.title,
                row.application.organization.name,
                *[figure(row.totals.get(e.id)) for e in table.experts],
                figure(row.score.score),
                figure(row.score.spread),
                "是" if row.score.flagged else "",
            ]
        )
    return rows


def panel_notes(table: PanelTable) -> list[str]:
    threshold = figure(table.panel.campaign.score_spread_threshold)
    return [
        f"汇总方法：{METHOD_ZH[table.method]}。仅计已锁定的评分表；空格表示该专家尚未锁定评分。",
        f"分差（最高分与最低分之差）超过 {threshold} 分的标为分差过大，提交评审组讨论。",
    ]


def panel_table_docx(table: PanelTable) -> tuple[str, str, bytes]:
    # why: python-docx and lxml load only when a Word file is made (test_footprint)
    from portal.documents.score_table import render_score_table

    return render_score_table(
        panel_title(table), panel_notes(table), panel_header(table), panel_rows(table)
    )


def panel_table_csv(table: PanelTable) -> tuple[str, str, bytes]:
    filename = safe_filename(panel_title(table), extension=".csv")
    return filename, CSV_MIMETYPE, csv_bytes([panel_header(table), *panel_rows(table)])
