"""Attachment 6's questions and five-point scale: the defaults the office starts from."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# The eight five-point items of the programme's customer evaluation survey (附件6), in order;
# "overall" is the one the satisfaction rate is read from.
DEFAULT_QUESTIONS: tuple[dict[str, str], ...] = (
    {"key": "attitude", "zh": "服务态度", "en": "Service attitude"},
    {"key": "manners", "zh": "仪容仪表与言行举止", "en": "Appearance and manners"},
    {"key": "efficiency", "zh": "办事效率与等候时间", "en": "Efficiency and waiting time"},
    {"key": "skill", "zh": "业务知识与技能", "en": "Professional knowledge and skill"},
    {"key": "promises", "zh": "信守承诺", "en": "Keeping promises"},
    {"key": "complaints", "zh": "问题与投诉处理", "en": "Handling of problems and complaints"},
    {"key": "environment", "zh": "服务环境与设施", "en": "Environment and facilities"},
    {"key": "overall", "zh": "总体满意度", "en": "Overall satisfaction"},
)
OVERALL = "overall"

# 很满意 5 … 很不满意 1, best first as the paper form prints them.
SCALE = (
    (5, _l("Very satisfied")),
    (4, _l("Satisfied")),
    (3, _l("Neutral")),
    (2, _l("Dissatisfied")),
    (1, _l("Very dissatisfied")),
)
SATISFIED = (4, 5)


def default_questions() -> list[dict[str, str]]:
    return [dict(q) for q in DEFAULT_QUESTIONS]


def question_text(question: dict[str, str], language: str) -> str:
    return question["zh"] if language == "zh" or not question.get("en") else question["en"]
