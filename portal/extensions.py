"""Flask extensions, created unbound and initialised by the app factory."""

from functools import cache

from babel import Locale
from flask import current_app, has_request_context, request
from flask_babel import Babel
from flask_login import LoginManager, current_user
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()

# The language switch's choice: a plain cookie, not the session, so that an anonymous visitor
# who chose a language still gets cacheable public pages (the page cache keys on it).
LANG_COOKIE = "lang"


def select_locale() -> Locale:
    """A choice made with the language switch wins; then the user's saved choice; else Chinese."""
    return _locale(_chosen_language())


@cache
def _locale(code: str) -> Locale:
    """One Locale per language for the process. flask-babel parses the selector's answer anew
    on each request, and every word and label a page translates is looked up by its locale:
    a new instance at each request is found by Locale.__eq__, five attribute reads in Python,
    about a hundred times a page, where the same instance is found by identity."""
    return Locale.parse(code)


def _chosen_language() -> str:
    languages = current_app.config["LANGUAGES"]
    in_request = has_request_context()
    chosen = request.cookies.get(LANG_COOKIE) if in_request else None
    if chosen is not None and chosen in languages:
        return chosen
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if getattr(current_user, "is_authenticated", False) and user_locale in languages:
        return str(user_locale)
    if in_request and request.args.get("lang") in languages:
        return request.args["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]
