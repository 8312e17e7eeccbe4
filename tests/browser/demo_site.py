"""The demo portal served on loopback, and the main pages of every role and of the public.

The phone and accessibility tests look at pages full of realistic data (long unit names, full
tables), so they run on a server of their own loaded with the demo (`portal.demo.seed_demo`),
apart from the shared `live_server`, whose campaigns other tests open and close. A test module
uses it by importing `demo_site_fixture`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from portal import create_app
from portal.clock import utcnow
from portal.db import Base
from portal.demo import DEMO_PASSWORD, seed_demo
from portal.honours.models import Honour
from portal.notice.models import PublicNotice
from tests.browser.conftest import LiveServer, log_in, seeded
from tests.conftest import make_test_config, side_database

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

ENTERPRISE = "qiye@demo.example.com"
CHANNEL_REVIEWER = "gonghui.huangpu@demo.example.com"
OFFICE = "bangongshi@demo.example.com"
ORGANIZER = "zhixie@demo.example.com"
EXPERT = "zhuanjia1@demo.example.com"
ADMIN = "admin@demo.example.com"


@pytest.fixture(scope="session", name="demo_site")
def demo_site_fixture(tmp_path_factory) -> Iterator[LiveServer]:
    """The portal with the demo loaded, CSRF on, and the 2025 notice open for objections."""
    with side_database(tmp_path_factory, "demo") as url:
        app = create_app(
            make_test_config(
                url,
                tmp_path_factory.mktemp("demo-instance"),
                SERVER_NAME=None,
                WTF_CSRF_ENABLED=True,
            )
        )
        engine = app.extensions["portal.db"]["engine"]
        Base.metadata.create_all(engine)
        with seeded(app) as session:
            seed_demo()
            # The demo's notice has closed; open it again so the objection form can be seen.
            notice = session.scalars(sa.select(PublicNotice)).first()
            notice.opens_at = utcnow() - timedelta(days=1)
            notice.closes_at = utcnow() + timedelta(days=6)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="demo-portal", daemon=True)
        thread.start()
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        engine.dispose()


@contextmanager
def open_page(chromium, site: LiveServer, viewport: dict) -> Iterator:
    """A fresh page (no cookies) at a viewport size, relative URLs going to the demo site;
    its browser context is closed at the end of the block."""
    context = chromium.new_context(base_url=site.url, locale="zh-CN", viewport=viewport)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
    finally:
        context.close()


def go(path: str) -> Callable:
    def step(page, site) -> None:
        assert page.goto(path).ok, path

    return step


def first_link(listing: str, pattern: str) -> Callable:
    """Open the first link on a list page whose address matches the pattern."""

    def step(page, site) -> None:
        assert page.goto(listing).ok, listing
        hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.pathname)")
        target = next((h for h in hrefs if re.fullmatch(pattern, h)), None)
        assert target, f"no link like {pattern} on {listing}"
        assert page.goto(target).ok, target

    return step


def new_team_packet(page, site) -> None:
    """The enterprise starts a team packet with the real button and lands on its form."""
    assert page.goto("/applications/new").ok
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/applications/\d+/edit$"))


def verify_certificate(page, site) -> None:
    """Someone types the code printed on a certificate, in lower case as a phone's keyboard
    offers it, and presses Verify."""
    with seeded(site.app) as session:
        code = session.scalars(sa.select(Honour.verification_code)).first()
    assert page.goto("/honours/verify").ok
    page.fill("#code", code.lower())
    page.get_by_test_id("verify-form").locator("button[type=submit]").click()
    page.get_by_test_id("verify-result").wait_for()


@dataclass(frozen=True)
class Visit:
    name: str
    open: Callable


# Who logs in (None: nobody) and the pages each one starts from.
PAGES: dict[str, tuple[str | None, list[Visit]]] = {
    "public": (
        None,
        [
            Visit("start", go("/")),
            Visit("notice", go("/notice")),
            Visit("objection", first_link("/notice", r"/notice/\d+/candidates/\d+/objection")),
            Visit("objection-status", go("/notice/objections/status")),
            Visit("honour-roll", go("/honours")),
            Visit("verify", verify_certificate),
            Visit("register", go("/register")),
        ],
    ),
    "enterprise": (
        ENTERPRISE,
        [
            Visit("home", go("/home")),
            Visit("packets", go("/applications/")),
            Visit("packet", first_link("/applications/", r"/applications/\d+")),
            Visit("packet-form", new_team_packet),
        ],
    ),
    "channel_reviewer": (
        CHANNEL_REVIEWER,
        [
            Visit("home", go("/home")),
            Visit("queue", go("/review/")),
            Visit("review", first_link("/review/", r"/review/applications/\d+")),
            Visit("recommendations", go("/recommendations/")),
        ],
    ),
    "office": (
        OFFICE,
        [
            Visit("home", go("/home")),
            Visit("formal-check", go("/review/formal-check")),
            Visit("results", go("/scoring/results/")),
            Visit("result", first_link("/scoring/results/", r"/scoring/results/categories/\d+")),
            Visit("campaigns", go("/office/campaigns/")),
            Visit("campaign", first_link("/office/campaigns/", r"/office/campaigns/\d+")),
            Visit("outbox", go("/office/outbox")),
        ],
    ),
    "organizer": (
        ORGANIZER,
        [Visit("home", go("/home")), Visit("approval", go("/notice/manage"))],
    ),
    "expert": (
        EXPERT,
        [
            Visit("home", go("/home")),
            Visit("assignments", go("/scoring/")),
            Visit("assignment", first_link("/scoring/", r"/scoring/assignments/\d+")),
        ],
    ),
    "admin": (ADMIN, [Visit("home", go("/home")), Visit("users", go("/office/users/"))]),
}


def each_page(page, site: LiveServer, who: str) -> Iterator[Visit]:
    """Log in as the group's user (if any), then open each of its pages in turn."""
    email, visits = PAGES[who]
    if email:
        log_in(page, email, DEMO_PASSWORD)
    for visit in visits:
        visit.open(page, site)
        page.wait_for_load_state("load")
        yield visit
