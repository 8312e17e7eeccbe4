"""Display names of the portal's enumerations, translated.

The bottom knows no enumeration: each domain declares its enums' labels next to the enum with
`declare(EnumClass, {member: _l("...")})`. Declaring runs when the enum's module runs, which has
happened before any of its members can be asked for a label, so import order does not matter.
"""

from __future__ import annotations

import enum

from flask import has_request_context

from portal.i18n import current_locale

# Keyed by enum class, not by member: StrEnum members of different classes with the same value
# (CampaignStatus.DRAFT, ApplicationState.DRAFT) are equal and would overwrite each other.
_LABELS: dict[type[enum.Enum], dict[str, object]] = {}
# (locale, enum class, value): the label as translated in that language.
_SHOWN: dict[tuple[object, type[enum.Enum], str], str] = {}


def declare(enum_cls: type[enum.Enum], texts: dict) -> None:
    """Register the translated label (a lazy string) of every member of enum_cls."""
    # isinstance too: a StrEnum member equals a member of another enum with the same value.
    if set(texts) != set(enum_cls) or not all(isinstance(m, enum_cls) for m in texts):
        raise TypeError(f"labels of {enum_cls.__name__} must name each of its members once")
    _LABELS[enum_cls] = {m.value: text for m, text in texts.items()}
    _SHOWN.clear()  # a class declared again (in a test) is not answered with its old labels


def label(member: enum.Enum | None) -> str:
    if member is None:
        return ""
    text = _LABELS.get(type(member), {}).get(member.value)
    if text is None:
        return str(member.value)
    if not has_request_context():
        return str(text)
    # Translated once per process and language: a list page asks for the same few labels in
    # every row, and each translation looks up the request's locale and catalogue again. The
    # catalogues do not change while a process runs; the keys are bounded by the enums'
    # members times the languages.
    key = (current_locale(), type(member), member.value)
    shown = _SHOWN.get(key)
    if shown is None:
        shown = _SHOWN[key] = str(text)
    return shown


def choices(enum_cls: type[enum.Enum]) -> list[tuple[str, str]]:
    return [(m.value, label(m)) for m in enum_cls]
