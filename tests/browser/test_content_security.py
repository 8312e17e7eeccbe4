"""The content security policy against the real pages in Chromium: the portal's own pages and
scripts raise no violation for any role, the selects that submit on change still do, and no
page, even on the same site, can frame a logged-in page."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.organizations.models import OrgKind
from portal.scoring.models import Expert
from tests.applications.helpers import make_draft, open_campaign
from tests.browser.conftest import log_in, seeded
from tests.factories import make_org, make_user

pytestmark = pytest.mark.browser

PUBLIC_PAGES = ["/", "/notice", "/honours", "/honours/revoked", "/login", "/register",
                "/password/forgot"]  # fmt: skip
ROLE_PAGES = {
    Role.ENTERPRISE: ["/home", "/applications/", "/applications/new", "/account/tokens"],
    Role.CHANNEL_REVIEWER: ["/home", "/review/", "/recommendations/", "/statistics/mine"],
    Role.OFFICE: [
        "/home",
        "/office/campaigns/",
        "/review/formal-check",
        "/scoring/office",
        "/scoring/results/",
        "/similarity/",
        "/statistics/",
        "/notice/manage",
        "/honours/manage",
        "/office/outbox",
        "/balance/",
    ],  # fmt: skip
    Role.ORGANIZER: ["/home", "/balance/"],
    Role.EXPERT: ["/home", "/scoring/"],
    Role.ADMIN: ["/home", "/office/users/", "/office/users/new", "/office/audit"],
}
# Reported by Chromium itself, and by the page's securitypolicyviolation events.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("securitypolicyviolation: " + e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def violations(page) -> list[str]:
    """Console messages of the page about the content security policy."""
    found: list[str] = []
    page.add_init_script(REPORT_VIOLATIONS)

    def on_console(message) -> None:
        text = message.text
        if "Content Security Policy" in text or "securitypolicyviolation" in text:
            found.append(f"{page.url}: {text}")

    page.on("console", on_console)
    return found


@pytest.fixture(scope="module")
def campaigns(live_server) -> list[int]:
    with seeded(live_server.app):
        return [open_campaign().id, open_campaign().id]


def _visit(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, (path, response and response.status)
    page.wait_for_load_state("load")


def test_public_pages_raise_no_violation(page, violations, campaigns):
    for path in PUBLIC_PAGES:
        _visit(page, path)
    assert violations == []


@pytest.mark.parametrize("role", list(ROLE_PAGES), ids=[r.value for r in ROLE_PAGES])
def test_main_pages_of_each_role_raise_no_violation(page, live_server, violations, role):
    with seeded(live_server.app) as session:
        user = make_user(role)
        if role is Role.EXPERT:  # an expert of the pool, with this login
            session.add(Expert(name=user.name, organization=make_org(OrgKind.OTHER), user=user))
        email = user.email
    log_in(page, email)
    for path in ROLE_PAGES[role]:
        _visit(page, path)
    assert violations == []


def test_application_form_and_its_script_raise_no_violation(page, live_server, violations):
    with seeded(live_server.app):
        draft = make_draft()
        email, draft_id = draft.created_by.email, draft.id
    log_in(page, email)
    _visit(page, f"/applications/{draft_id}/edit")
    assert violations == []


@pytest.mark.parametrize("path", ["/statistics/", "/similarity/"])
def test_campaign_select_still_submits_on_change(page, live_server, violations, campaigns, path):
    with seeded(live_server.app):
        email = make_user(Role.OFFICE).email
    log_in(page, email)
    _visit(page, path)
    select = page.locator("select[name=campaign]")
    other = next(str(c) for c in campaigns if str(c) != select.input_value())
    select.select_option(other)
    expect(page).to_have_url(f"{live_server.url}{path}?campaign={other}")
    expect(page.locator("select[name=campaign]")).to_have_value(other)
    assert violations == []


@pytest.fixture
def framing_site(live_server) -> Iterator[str]:
    """Another server on the same host (the same site): a page that frames the office home."""
    html = f'<!doctype html><iframe src="{live_server.url}/home" width="900" height="600"></iframe>'

    class Framing(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Framing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


def test_same_site_page_cannot_frame_the_logged_in_office_home(page, live_server, framing_site):
    with seeded(live_server.app):
        email = make_user(Role.OFFICE).email
    log_in(page, email)
    expect(page.get_by_test_id("home-role")).to_be_visible()
    page.goto(framing_site, wait_until="load")
    frame = page.frame_locator("iframe")
    page.wait_for_timeout(500)
    expect(frame.get_by_test_id("home-role")).to_have_count(0)
    expect(frame.get_by_test_id("current-user")).to_have_count(0)
