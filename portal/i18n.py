"""Helpers for bilingual data (records carry name_zh and name_en) and the templates' words."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from babel import Locale
from flask import Flask, g
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from portal.memo import remember

# The templates' words, translated once per process and language. Every page asks for the
# navigation's thirty-odd words, and a list for its headers and buttons; flask-babel finds the
# request's locale and catalogue again at each call, which cost a page about 1.5 ms of CPU.
# The catalogues do not change while a process runs, and every template's `_()` takes a
# literal, so the keys are bounded by the templates' words times the languages (the bound
# below is a safeguard against a template that ever passes a variable).
_WORDS: dict[tuple[object, str], str] = {}  # (locale, word): its translation
_SHOWN: dict[tuple[object, str, bool], str] = {}  # (locale, word, escaped): as printed
_MAX_WORDS = 20_000


def current_locale() -> Locale | None:
    """flask_babel.get_locale(), read where flask-babel keeps the request's locale once it has
    chosen it: get_locale goes through the application context's proxy three times at each
    call (about 4 µs), and a page asks for it a hundred times, for each word and label."""
    try:
        state = g._get_current_object()
    except RuntimeError:  # no application context: get_locale's own answer (None)
        return get_locale()
    locale = getattr(getattr(state, "_flask_babel", None), "babel_locale", None)
    return get_locale() if locale is None else locale


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str, **variables: object) -> str:
    """Jinja's newstyle gettext in one call: the translation, marked safe where the template
    escapes, formatted with the variables (always, so that a word's %% reads as %).

    Jinja's own goes through three calls for each `_()` (its alias, its wrapper, then the
    function given); this gives the same answer, and without variables keeps it whole."""
    locale = current_locale()
    if variables:
        return _marked(eval_ctx, _translated(locale, string)) % variables
    key = (locale, string, eval_ctx.autoescape)
    shown = _SHOWN.get(key)
    if shown is None:
        shown = remember(
            _SHOWN, key, _marked(eval_ctx, _translated(locale, string)) % {}, _MAX_WORDS
        )
    return shown


def _translated(locale: object, string: str) -> str:
    key = (locale, string)
    word = _WORDS.get(key)
    if word is None:
        word = remember(_WORDS, key, get_translations().ugettext(string), _MAX_WORDS)
    return word


def _marked(eval_ctx: EvalContext, text: str) -> str:
    return Markup(text) if eval_ctx.autoescape else text


def install_template_gettext(app: Flask) -> None:
    """The templates' `_()` and `gettext()` through the cache above, called after
    babel.init_app: the plural form is flask-babel's as it installs it, the context forms
    stay as it installed them."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: get_translations().ugettext(s),
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
    )
    # Jinja's `_` is an alias that looks `gettext` up again; both are the one call above.
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)


def is_chinese() -> bool:
    locale = current_locale()
    return locale is None or locale.language == "zh"


def localized_name(obj: Any, chinese: bool | None = None) -> str:
    """The record's name in the user's language (Chinese unless English was chosen), "" for
    no record.

    A list reads the language once, is_chinese(), and passes it as `chinese` for each of its
    rows; the Word and CSV documents, written in Chinese, pass chinese=True."""
    if obj is None:
        return ""
    if chinese is None:
        chinese = is_chinese()
    return obj.name_zh if chinese else obj.name_en


def name_column(model: Any, chinese: bool) -> sa.ColumnElement[str]:
    """The model's name column in the language asked, for a statement built once per language
    (the names are never NULL; "" where an outer join found no record)."""
    return sa.func.coalesce(model.name_zh if chinese else model.name_en, "")
