"""A survey's figures: the count, the satisfaction rate, each item's mean, the answers per day,
the suggestions and the flags; computed live, and frozen into each submitted version."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.clock import shanghai_date
from portal.survey.models import FrozenFigures, Survey, SurveyAnswer, SurveySettings
from portal.survey.questions import SATISFIED


def count_answers(session: Session, survey: Survey | None) -> int:
    if survey is None:
        return 0
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(SurveyAnswer)
            .where(SurveyAnswer.survey_id == survey.id)
        )
        or 0
    )


def _one_decimal(value: float) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def compute(session: Session, survey: Survey | None, settings: SurveySettings) -> dict:
    """The figures as plain JSON values (they are frozen into versions as they are)."""
    rows = (
        session.scalars(
            sa.select(SurveyAnswer)
            .where(SurveyAnswer.survey_id == survey.id)
            .order_by(SurveyAnswer.id)
        ).all()
        if survey is not None
        else []
    )
    total = len(rows)
    flagged = [r for r in rows if r.flags]
    satisfied = sum(1 for r in rows if r.overall in SATISFIED)
    means = {}
    for q in settings.questions:
        values: list[int] = [v for r in rows if isinstance(v := r.scores.get(q["key"]), int)]
        means[q["key"]] = _one_decimal(sum(values) / len(values)) if values else None
    recommend = [1 if r.recommend else 0 for r in rows if r.recommend is not None]
    return {
        "answers": total,
        "flagged": len(flagged),
        "satisfaction": _one_decimal(100 * satisfied / total) if total else None,
        "means": means,
        "recommend": _one_decimal(100 * sum(recommend) / len(recommend)) if recommend else None,
        "by_day": sorted(Counter(shanghai_date(r.created_at).isoformat() for r in rows).items()),
        "flag_counts": dict(Counter(f["code"] for r in flagged for f in r.flags)),
        "suggestions": [r.suggestion for r in rows if r.suggestion.strip()][-50:],
    }


def flagged_answers(
    session: Session, survey: Survey | None, limit: int = 100
) -> list[SurveyAnswer]:
    """The flagged answers with their evidence, newest first, for those who judge the packet."""
    if survey is None:
        return []
    rows = session.scalars(
        sa.select(SurveyAnswer)
        .where(SurveyAnswer.survey_id == survey.id)
        .order_by(SurveyAnswer.id.desc())
    ).all()
    return [r for r in rows if r.flags][:limit]


def frozen(session: Session, version_id: int) -> dict | None:
    row = session.get(FrozenFigures, version_id)
    return row.figures if row is not None else None
