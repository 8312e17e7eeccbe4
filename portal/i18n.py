"""Helpers for bilingual data: records carry name_zh and name_en."""

from __future__ import annotations

from flask_babel import get_locale


def is_chinese() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "zh"


def localized_name(obj) -> str:
    """The record's name in the user's language (Chinese unless English was chosen)."""
    if obj is None:
        return ""
    return obj.name_zh if is_chinese() else obj.name_en
