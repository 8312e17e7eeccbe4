"""Flask extensions, created unbound and initialised by the app factory."""

from flask import current_app, request
from flask_babel import Babel
from flask_login import LoginManager, current_user
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()

# The language switch's choice: a plain cookie, not the session, so that an anonymous visitor
# who chose a language still gets cacheable public pages (the page cache keys on it).
LANG_COOKIE = "lang"


def select_locale() -> str:
    """A choice made with the language switch wins; then the user's saved choice; else Chinese."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANG_COOKIE) if request else None
    if chosen in languages:
        return chosen
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if getattr(current_user, "is_authenticated", False) and user_locale in languages:
        return user_locale
    if request and request.args.get("lang") in languages:
        return request.args["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]
