"""The Word index of a year's archive (档案目录): what it holds, the packets and their outcomes,
and the notice that it holds personal data. Takes rows already loaded; never queries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CategoryKind
from portal.documents import DOCX_MIMETYPE, safe_filename
from portal.documents.candidate_list import SMALL, grid, landscape_document
from portal.documents.common import add_paragraph, add_title, docx_bytes
from portal.honours.models import Honour
from portal.i18n import localized_name

OUTCOMES = {
    ApplicationState.DRAFT: "草稿（未提交）",
    ApplicationState.SUBMITTED: "渠道审核中",
    ApplicationState.RETURNED: "退回修改",
    ApplicationState.NOT_RECOMMENDED: "不予推荐",
    ApplicationState.CHANNEL_APPROVED: "待推荐",
    ApplicationState.RECOMMENDED: "已推荐",
    ApplicationState.INCOMPLETE: "退回补正",
    ApplicationState.REJECTED: "形式审查未通过",
    ApplicationState.ACCEPTED: "专家评审",
    ApplicationState.CANDIDATE: "拟表彰",
    ApplicationState.NOT_SELECTED: "未入选",
    ApplicationState.DISQUALIFIED: "取消资格",
    ApplicationState.AWARDED: "获评",
}
KINDS = {CategoryKind.TEAM: "班组", CategoryKind.INDIVIDUAL: "个人"}
CONTENTS = [
    "campaign.json：本年度创建活动的设置、类别、审核链与评分细则",
    "packets/<编号>/：每份申报材料的当前内容、各次提交的冻结版本、审核意见及附件原件",
    "recommendations.json、scoring.json：推荐名单与推荐意见，专家分组、分配与评分表",
    "candidate_lists.json、signatures.json：拟表彰名单、名单调整及主办单位会签",
    "notice.json、objections/：社会公示及异议（含证据材料）",
    "honours.json、honours/：荣誉称号、检查记录、投诉与撤销",
    "audit.json：涉及上述记录的审计日志条目（含链式校验值）",
    "manifest.json：每个文件的 SHA-256 校验值，可用 flask archive verify 核对",
]
PERSONAL_DATA_NOTICE = (
    "个人信息说明：本档案是市创建活动工作办公室的工作记录，含申报人、团队成员及异议人的个人信息"
    "（姓名、身份证号码、出生日期、手机号码、电子邮箱等）。仅限经授权的工作人员为评选复核、"
    "异议处理和动态管理查阅，不得对外提供；保存期满后按保存期限规定销毁。"
    "档案不含任何账户密码、令牌或其他密钥。"
)
HEADER = ["序号", "编号", "类别", "申报单位", "班组/个人", "区", "行业", "结果", "证书编号"]
# 25.7 cm between the margins of a landscape page
WIDTHS_CM = (1.2, 1.4, 1.4, 5.6, 4.6, 2.2, 2.4, 3.0, 3.9)


def packet_rows(packets: Sequence[Application], honours: Sequence[Honour]) -> list[list[str]]:
    certificates = {h.application_id: h.certificate_number for h in honours}
    revoked = {h.application_id for h in honours if h.revoked_at is not None}
    rows = []
    for number, app in enumerate(packets, start=1):
        outcome = OUTCOMES.get(app.state, app.state.value)
        if app.id in revoked:
            outcome += "（已撤销）"
        rows.append(
            [
                str(number),
                str(app.id),
                KINDS.get(app.category.kind, ""),
                app.organization.name,
                app.title,
                localized_name(app.district, chinese=True),
                localized_name(app.industry, chinese=True),
                outcome,
                certificates.get(app.id, ""),
            ]
        )
    return rows


def render_index(
    campaign: Campaign,
    packets: Sequence[Application],
    honours: Sequence[Honour],
    unfinished: str | None = None,
) -> tuple[str, str, bytes]:
    """The index as (filename, mimetype, bytes)."""
    title = f"{campaign.year}年度用户满意服务明星评选档案目录"
    document = landscape_document()
    add_title(document, title)
    add_paragraph(document, f"主题：{campaign.theme}", size=SMALL)
    if unfinished:
        add_paragraph(document, f"注意：本档案在评选结束前生成（{unfinished}）。", size=SMALL)
    counts = Counter(OUTCOMES.get(a.state, a.state.value) for a in packets)
    summary = "；".join(f"{label} {n} 份" for label, n in sorted(counts.items()))
    add_paragraph(document, f"申报材料共 {len(packets)} 份：{summary or '无'}。", size=SMALL)
    add_paragraph(document, PERSONAL_DATA_NOTICE, size=SMALL, bold=True)
    add_paragraph(document, "档案内容：", size=SMALL)
    for line in CONTENTS:
        add_paragraph(document, f"· {line}", size=SMALL)
    add_paragraph(document, "")
    grid(document, WIDTHS_CM, HEADER, packet_rows(packets, honours))
    return safe_filename(title), DOCX_MIMETYPE, docx_bytes(document)
