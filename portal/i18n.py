"""Helpers for bilingual data (records carry name_zh and name_en) and the templates' words."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale, get_translations

# The templates' words, translated once per process and language. Every page asks for the
# navigation's thirty-odd words, and a list for its headers and buttons; flask-babel finds the
# request's locale and catalogue again at each call, which cost a page about 1.5 ms of CPU.
# The catalogues do not change while a process runs, and every template's `_()` takes a
# literal, so the keys are bounded by the templates' words times the languages (the bound
# below is a safeguard against a template that ever passes a variable).
_WORDS: dict[tuple[object, str], str] = {}
_MAX_WORDS = 20_000


def _template_gettext(string: str) -> str:
    key = (get_locale(), string)
    word = _WORDS.get(key)
    if word is None:
        word = get_translations().ugettext(string)
        if len(_WORDS) < _MAX_WORDS:
            _WORDS[key] = word
    return word


def install_template_gettext(app: Flask) -> None:
    """The templates' `_()` and `gettext()` through the cache above, called after
    babel.init_app: the plural form is flask-babel's as it installs it, the context forms
    stay as it installed them."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_template_gettext,
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
    )


def is_chinese() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "zh"


def localized_name(obj) -> str:
    """The record's name in the user's language (Chinese unless English was chosen)."""
    if obj is None:
        return ""
    return obj.name_zh if is_chinese() else obj.name_en
