"""Browser tier: the portal served on loopback from a database of its own, driven by Chromium.

The app here is separate from the `app` fixture: the server thread needs committed rows in a
real database (a new SQLite file, or `<test database>_browser` on the test PostgreSQL
server), not the rolled-back transaction of the other tests. Tests seed what they need with
`seeded(live_server.app)` and use unique names, so they share one server.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import expect
from werkzeug.serving import make_server

from portal import create_app
from portal.campaigns.models import Campaign, CampaignStatus
from portal.clock import utcnow
from portal.db import Base, get_session
from portal.reference import seed_reference
from tests.applications.helpers import open_campaign
from tests.conftest import (
    REQUIRE_ALL_TIERS,
    make_test_config,
    require_or_skip,
    side_database,
)
from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@dataclass
class LiveServer:
    app: Flask
    url: str


@contextmanager
def seeded(app: Flask) -> Iterator:
    """A session in the live app's database; what the block adds is committed at its end."""
    with app.app_context():
        session = get_session()
        yield session
        session.commit()


def translated(app: Flask, message, locale: str = "zh_Hans_CN") -> str:
    """What the page shows for a message in a locale, whatever the catalogue holds today."""
    with app.app_context(), force_locale(locale):
        return str(message() if callable(message) else message)


def shown(app: Flask, value) -> str:
    """How the page names a state, role or other labelled value, in Chinese."""
    from portal.labels import label

    return translated(app, lambda: label(value))


def say(app: Flask, message: str, **params) -> str:
    """The Chinese text of a source message, as the page shows it."""
    return translated(app, lambda: gettext(message, **params))


def log_in(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real form as someone else: the cookies of whoever was logged in go
    first, and the step ends when the page names the user."""
    page.context.clear_cookies()
    assert page.goto("/login").ok
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("button[data-once]").click()
    page.get_by_test_id("current-user").wait_for()


def flash(page, kind: str):
    """The page's flash messages of a kind (success, error, warning)."""
    return page.locator(f"p.flash-{kind}")


def save_sheet(page) -> None:
    """Press the score sheet's save button and wait for the saved page, scripts loaded.

    The total is computed as the expert types, so it reads right before the save has gone
    through; a press on the next button before the new page's scripts run would skip its
    confirmation question."""
    page.locator("#sheet form").first.locator("button[type=submit]").click()
    expect(flash(page, "success")).to_be_visible()
    page.wait_for_load_state("load")


def each_organizer_signs(page, app: Flask, emails, campaign_id: int, reads=None) -> None:
    """Each organizer opens the candidate list, reads it (`reads(page)`, when given) and signs
    it, accepting the question."""
    for email in emails:
        log_in(page, email)
        assert page.goto(f"/notice/manage/{campaign_id}").ok
        if reads is not None:
            reads(page)
        page.get_by_test_id("sign-form").locator("button").click()
        expect(flash(page, "success")).to_have_text(
            say(app, "Your organization has signed the candidate list.")
        )


def current_campaign(
    session, apply_days: int = 30, recommend_days: int = 35, review_days: int = 45
) -> Campaign:
    """A new open campaign that is the current one, its deadlines that many days from now.

    Its year is one no campaign holds and the campaign settings page accepts (2000 to 2100);
    the campaigns other tests left open are closed first, as the office closes a year before
    it opens the next, so the pages that work on the current campaign work on this one.
    """
    taken = set(session.scalars(sa.select(Campaign.year)))
    year = next(y for y in range(2100, 1999, -1) if y not in taken)
    session.execute(
        sa.update(Campaign)
        .where(Campaign.status == CampaignStatus.OPEN)
        .values(status=CampaignStatus.CLOSED)
    )
    now = utcnow()
    return open_campaign(
        year=year,
        application_deadline=now + timedelta(days=apply_days),
        recommendation_deadline=now + timedelta(days=recommend_days),
        review_deadline=now + timedelta(days=review_days),
    )


def close_the_notice(app: Flask, campaign_id: int) -> None:
    """Time passes: the campaign's public notice opened ten days ago and has just closed. No
    page can move the clock, so the notice's window is moved instead."""
    from portal.notice.models import PublicNotice

    with seeded(app) as session:
        notice = session.scalar(
            sa.select(PublicNotice).where(PublicNotice.campaign_id == campaign_id)
        )
        notice.opens_at = utcnow() - timedelta(days=10)
        notice.closes_at = utcnow() - timedelta(seconds=1)


@pytest.fixture(scope="session")
def browser_database_url(tmp_path_factory) -> Iterator[str]:
    with side_database(tmp_path_factory, "browser") as url:
        yield url


@pytest.fixture(scope="session")
def live_server(browser_database_url, tmp_path_factory) -> Iterator[LiveServer]:
    """The portal with CSRF on, served by a threaded werkzeug server on a free loopback port."""
    config = make_test_config(
        browser_database_url,
        tmp_path_factory.mktemp("browser-instance"),
        SERVER_NAME=None,
        WTF_CSRF_ENABLED=True,
    )
    app = create_app(config)
    engine = app.extensions["portal.db"]["engine"]
    Base.metadata.create_all(engine)
    with seeded(app) as session:
        seed_reference(session)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-portal", daemon=True)
    thread.start()
    yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    engine.dispose()


def has_chinese_font() -> bool:
    try:
        found = subprocess.run(
            ["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return False
    return bool(found.stdout.strip())


@pytest.fixture(scope="session")
def chromium():
    if not os.access(CHROMIUM, os.X_OK):
        require_or_skip(f"{CHROMIUM} not found (apt-get install chromium)")
    if REQUIRE_ALL_TIERS and not has_chinese_font():
        pytest.fail(
            "no Chinese font: Chinese would render as boxes (apt-get install fonts-noto-cjk)"
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser context (no cookies) whose relative URLs go to the live server."""
    context = chromium.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
