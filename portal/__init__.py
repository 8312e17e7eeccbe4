"""The User Satisfaction Service Star portal (用户满意服务明星)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from flask import Flask, render_template
from flask_babel import format_datetime
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import db, limits, mail, security
from portal.clock import shanghai_text
from portal.config import load_config
from portal.extensions import babel, csrf, login_manager, select_locale
from portal.files.intake import HeldToContentLength
from portal.i18n import current_locale, install_template_gettext, is_chinese, localized_name
from portal.inputs import DatabaseIntConverter
from portal.labels import label
from portal.listing import url_pattern
from portal.percent import percent_text

ROOT = Path(__file__).resolve().parent.parent


def shanghai_filter(dt: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    """{{ when|shanghai }}: the instant in Beijing time; the numeric patterns of a list's
    rows without Babel (see portal.clock.SHANGHAI_FORMATS), any other pattern through it."""
    if not dt:
        return ""
    text = shanghai_text(dt, fmt)
    return format_datetime(dt, fmt) if text is None else text


def create_app(test_config: dict | None = None) -> Flask:
    """Build the portal: configuration, database, extensions, blueprints, commands."""
    app = Flask(
        __name__,
        instance_path=str(
            (test_config or {}).get("INSTANCE_PATH")
            or os.environ.get("PORTAL_INSTANCE_PATH")
            or ROOT / "instance"
        ),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    load_config(app, test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.url_map.converters["int"] = DatabaseIntConverter  # before any route is added

    if app.config["PROXY_COUNT"]:
        n = int(app.config["PROXY_COUNT"])
        # Flask's documented way to add WSGI middleware; its stubs declare wsgi_app a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=n, x_proto=n, x_host=n
        )
    # A cut-off body is never taken as whole (middleware, as above).
    app.wsgi_app = HeldToContentLength(app.wsgi_app)  # type: ignore[method-assign]
    db.init_app(app)
    mail.init_app(app)  # outbox delivery after commit, `flask outbox`
    limits.init_app(app)  # before the extensions, so the body cap precedes CSRF's form read
    _init_extensions(app)
    _register_blueprints(app)
    _register_errors(app)
    _subscribe()
    # why: the commands bring the archive and every package it reads; they load with an app
    from portal.cli import register_cli

    register_cli(app)
    security.init_app(app)  # outermost: every answer carries the security headers
    return app


def _init_extensions(app: Flask) -> None:
    # why: importing any portal.x module runs this file; the packages load when an app is built
    from portal.accounts.service import user_for_session_id

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None

    @login_manager.user_loader
    def load_user(session_id: str):
        return user_for_session_id(db.get_session(), session_id)

    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    install_template_gettext(app)
    # why: as above, the packages load when an app is built
    from portal.accounts import rules as account_rules
    from portal.navigation import fixed_url, navigation

    app.jinja_env.globals.update(
        get_locale=current_locale,  # flask-babel's, at a tenth of its cost
        localized_name=localized_name,
        is_chinese=is_chinese,
        label=label,
        # A list's row link built once per page: url_pattern('review.show', 'app_id')(app.id).
        url_pattern=url_pattern,
        account_rules=account_rules,
        # The navigation's groups: the links the user's rules allow (templates/_nav_items.html).
        navigation=navigation,
        fixed_url=fixed_url,
    )
    app.jinja_env.filters["shanghai"] = shanghai_filter
    # Every share on every page: {{ app.women_share|percent }} → 58.3%, '—' when none.
    app.jinja_env.filters["percent"] = percent_text


def _register_blueprints(app: Flask) -> None:
    # why: importing any portal.x module runs this file; the views load when an app is built
    from portal.accounts.views import bp as accounts_bp
    from portal.accounts.views_users import bp as users_bp
    from portal.api.views import bp as api_bp
    from portal.applications.views import bp as applications_bp
    from portal.campaigns.views import bp as campaigns_bp
    from portal.eligibility.views import bp as eligibility_bp
    from portal.honours.views import bp as honours_bp
    from portal.honours.views_awards import bp as honour_awards_bp
    from portal.national.views import bp as national_bp
    from portal.notice.views import bp as notice_bp
    from portal.office.views import bp as office_bp
    from portal.organizations.views import bp as organizations_bp
    from portal.public.views import bp as public_bp
    from portal.recommendations.views import balance_bp
    from portal.recommendations.views import bp as recommendations_bp
    from portal.reevaluation.views import bp as reevaluation_bp
    from portal.review.views import bp as review_bp
    from portal.scoring.results.views import bp as scoring_results_bp
    from portal.scoring.views import bp as scoring_bp
    from portal.similarity.views import bp as similarity_bp
    from portal.statistics.views import bp as statistics_bp
    from portal.survey.views import bp as survey_bp

    for bp in (
        public_bp,
        accounts_bp,
        users_bp,
        organizations_bp,
        campaigns_bp,
        office_bp,
        api_bp,
        applications_bp,
        eligibility_bp,
        review_bp,
        recommendations_bp,
        balance_bp,
        notice_bp,
        honours_bp,
        honour_awards_bp,
        national_bp,
        reevaluation_bp,
        scoring_results_bp,
        scoring_bp,
        similarity_bp,
        statistics_bp,
        survey_bp,
    ):
        app.register_blueprint(bp)
    csrf.exempt(api_bp)


def _subscribe() -> None:
    """Connect each package's receivers of portal.signals (once: blinker keeps one each)."""
    # why: importing any portal.x module runs this file; the packages load when an app is built
    from portal.accounts import receivers as accounts
    from portal.applications import receivers as applications
    from portal.eligibility import receivers as eligibility
    from portal.honours import receivers as honours
    from portal.notice import receivers as notice
    from portal.recommendations import receivers as recommendations
    from portal.reevaluation import receivers as reevaluation
    from portal.review import receivers as review
    from portal.scoring import receivers as scoring
    from portal.similarity import receivers as similarity
    from portal.statistics import receivers as statistics
    from portal.survey import receivers as survey

    for package in (
        accounts,
        applications,
        eligibility,
        honours,
        notice,
        recommendations,
        reevaluation,
        review,
        scoring,
        similarity,
        statistics,
        survey,
    ):
        package.subscribe()


def _register_errors(app: Flask) -> None:
    # why: importing any portal.x module runs this file; the API loads when an app is built
    from portal.api.errors import http_error_response, is_api_request

    def error_page(e, code: int):
        if is_api_request():  # JSON for /api/ paths, including unknown ones
            return http_error_response(e)
        message = getattr(e, "message", None)  # portal.inputs.BadInput says what was wrong
        return render_template("errors.html", code=code, message=message), code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, lambda e, code=code: error_page(e, code))
