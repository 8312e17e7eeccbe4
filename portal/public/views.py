"""Public pages: the landing page and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from portal.campaigns.service import current_campaign
from portal.db import get_session
from portal.extensions import LANG_COOKIE

bp = Blueprint("public", __name__)


@bp.route("/")
def index():
    return render_template("public/index.html", campaign=current_campaign(get_session()))


@bp.route("/lang/<code>")
def set_language(code: str):
    """Remember the chosen language in this browser for a year (a cookie of its own)."""
    target = request.args.get("next") or url_for("public.index")
    if urlsplit(target).netloc or not target.startswith("/"):
        target = url_for("public.index")
    response = redirect(target)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANG_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            secure=request.is_secure,
            httponly=True,
            samesite="Lax",
        )
    return response
