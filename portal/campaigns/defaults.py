"""The programme's default campaign settings (forms.md); every value is editable per campaign."""

from __future__ import annotations

from decimal import Decimal

from portal.campaigns.models import (
    CampaignCategory,
    CategoryKind,
    ReviewStage,
    RubricItem,
    RubricKind,
    StageSystem,
)

THEME = "质量激发工匠精神 满意引领服务升级"


def default_categories() -> list[CampaignCategory]:
    return [
        CampaignCategory(
            code="team",
            kind=CategoryKind.TEAM,
            name_zh="班组",
            name_en="Team",
            quota=100,
            narrative_min_chars=2000,
            narrative_max_chars=3000,
            summary_max_chars=800,
            min_surveys=30,
            position=0,
        ),
        CampaignCategory(
            code="individual",
            kind=CategoryKind.INDIVIDUAL,
            name_zh="个人",
            name_en="Individual",
            quota=100,
            narrative_min_chars=1500,
            narrative_max_chars=2500,
            summary_max_chars=800,
            min_surveys=20,
            position=1,
        ),
    ]


def default_stages() -> list[ReviewStage]:
    """District union → youth league → women's federation → quality association → office."""
    names = {
        StageSystem.UNION: ("工会初评", "Trade union review"),
        StageSystem.YOUTH: ("团委初评", "Youth league review"),
        StageSystem.WOMEN: ("妇联初评", "Women's federation review"),
        StageSystem.QUALITY: ("质协推荐", "Quality association recommendation"),
        StageSystem.OFFICE: ("办公室形式审查", "Programme office formal check"),
    }
    return [
        ReviewStage(position=i, system=system, name_zh=zh, name_en=en)
        for i, (system, (zh, en)) in enumerate(names.items())
    ]


# How many times a bonus item may be counted on one sheet; the campaign's max_bonus caps
# their sum. Editable per campaign.
BONUS_MAX_COUNTS = {
    "regulator": 2,
    "contest_national": 1,
    "contest_province": 1,
    "contest_city": 1,
    "media": 2,
    "praise_letter": 5,
}


def default_rubric() -> list[RubricItem]:
    rows = [
        ("idea", RubricKind.CRITERION, "服务理念与文化", "Service ideas and culture", 15, None),
        (
            "standards",
            RubricKind.CRITERION,
            "服务规范与流程",
            "Service standards and processes",
            20,
            None,
        ),
        (
            "skills",
            RubricKind.CRITERION,
            "服务技能与素质",
            "Service skills and quality of staff",
            15,
            None,
        ),
        (
            "innovation",
            RubricKind.CRITERION,
            "服务创新与改进",
            "Service innovation and improvement",
            15,
            None,
        ),
        (
            "results",
            RubricKind.CRITERION,
            "顾客满意与服务业绩",
            "Customer satisfaction and results",
            25,
            None,
        ),
        (
            "impact",
            RubricKind.CRITERION,
            "社会影响与示范作用",
            "Social impact and exemplary role",
            10,
            None,
        ),
        (
            "regulator",
            RubricKind.BONUS,
            "监管部门或行业协会表彰",
            "Commendation by a regulator or industry association",
            20,
            None,
        ),
        (
            "contest_national",
            RubricKind.BONUS,
            "全国竞赛名次",
            "National competition placing",
            50,
            None,
        ),
        (
            "contest_province",
            RubricKind.BONUS,
            "省部级竞赛名次",
            "Provincial or ministerial competition placing",
            30,
            None,
        ),
        (
            "contest_city",
            RubricKind.BONUS,
            "市区级竞赛名次",
            "City or district competition placing",
            20,
            None,
        ),
        ("media", RubricKind.BONUS, "主流媒体表扬", "Praise by major media", 20, None),
        ("praise_letter", RubricKind.BONUS, "客户书面表扬", "Written customer praise", 2, 10),
        ("complaint", RubricKind.DEDUCTION, "有效投诉", "Verified complaint", 5, None),
        ("criticism", RubricKind.DEDUCTION, "有效批评", "Verified criticism", 3, None),
    ]
    return [
        RubricItem(
            position=i,
            code=code,
            kind=kind,
            name_zh=zh,
            name_en=en,
            points=Decimal(points),
            cap=Decimal(cap) if cap else None,
            max_count=BONUS_MAX_COUNTS.get(code),
        )
        for i, (code, kind, zh, en, points, cap) in enumerate(rows)
    ]
