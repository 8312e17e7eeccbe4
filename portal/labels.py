"""Display names of the portal's enumerations, translated.

The bottom knows no enumeration: each domain declares its enums' labels next to the enum with
`declare(EnumClass, {member: _l("...")})`. Declaring runs when the enum's module runs, which has
happened before any of its members can be asked for a label, so import order does not matter.
"""

from __future__ import annotations

import enum

from flask import g, has_request_context
from flask_babel import get_locale

# Keyed by enum class, not by member: StrEnum members of different classes with the same value
# (CampaignStatus.DRAFT, ApplicationState.DRAFT) are equal and would overwrite each other.
_LABELS: dict[type[enum.Enum], dict[str, object]] = {}


def declare(enum_cls: type[enum.Enum], texts: dict) -> None:
    """Register the translated label (a lazy string) of every member of enum_cls."""
    # isinstance too: a StrEnum member equals a member of another enum with the same value.
    if set(texts) != set(enum_cls) or not all(isinstance(m, enum_cls) for m in texts):
        raise TypeError(f"labels of {enum_cls.__name__} must name each of its members once")
    _LABELS[enum_cls] = {m.value: text for m, text in texts.items()}


def label(member: enum.Enum | None) -> str:
    if member is None:
        return ""
    text = _LABELS.get(type(member), {}).get(member.value)
    if text is None:
        return str(member.value)
    if not has_request_context():
        return str(text)
    # Translated once per request and language: a list page asks for the same few labels in
    # every row, and each translation looks up the request's locale and catalogue again.
    known = g.setdefault("portal_labels", {})
    key = (id(text), str(get_locale()))
    if key not in known:
        known[key] = str(text)
    return known[key]


def choices(enum_cls: type[enum.Enum]) -> list[tuple[str, str]]:
    return [(m.value, label(m)) for m in enum_cls]
