"""Enterprise registration in a real browser: a wrong credit code is caught, then corrected."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.accounts.forms import CREDIT_CODE_MESSAGES
from portal.accounts.models import Role, User
from portal.organizations.models import District, Industry, Organization
from tests.browser.conftest import seeded, shown, translated

pytestmark = pytest.mark.browser

WRONG_CODE = "91110108551385082R"
RIGHT_CODE = "91110108551385082Q"
UNIT = "北京海淀客户服务中心"
EMAIL = "service-centre@example.com"


def _fill_registration(page, district_id: int, industry_id: int, credit_code: str) -> None:
    page.fill("#unit_name", UNIT)
    page.fill("#credit_code", credit_code)
    page.select_option("#district_id", str(district_id))
    page.select_option("#industry_id", str(industry_id))
    page.fill("#contact_name", "李服务")
    page.fill("#mobile", "13812345678")
    page.fill("#email", EMAIL)
    page.fill("#password", "a-long-password-1")
    page.fill("#confirm", "a-long-password-1")


def test_wrong_check_character_is_shown_at_the_field_then_corrected_code_registers(
    page, live_server
):
    app = live_server.app
    with seeded(app) as session:
        xuhui = session.scalar(sa.select(District.id).where(District.code == "xuhui"))
        finance = session.scalar(sa.select(Industry.id).where(Industry.code == "finance"))

    assert page.goto("/register").ok
    _fill_registration(page, xuhui, finance, WRONG_CODE)
    page.locator("button[data-once]").click()

    credit_field = page.locator(".field", has=page.locator("#credit_code"))
    expect(credit_field.locator(".error")).to_have_text(
        translated(app, CREDIT_CODE_MESSAGES["check"])
    )
    expect(page.locator(".field .error")).to_have_count(1)
    # What the user typed is kept, so only the code needs correcting.
    expect(page.locator("#credit_code")).to_have_value(WRONG_CODE)
    expect(page.locator("#unit_name")).to_have_value(UNIT)
    with seeded(app) as session:
        assert session.scalar(sa.select(Organization.id).where(Organization.name == UNIT)) is None
        assert session.scalar(sa.select(User.id).where(User.email == EMAIL)) is None

    page.fill("#credit_code", RIGHT_CODE)
    page.fill("#password", "a-long-password-1")
    page.fill("#confirm", "a-long-password-1")
    page.locator("button[data-once]").click()

    expect(page).to_have_url(f"{live_server.url}/home")
    expect(page.get_by_test_id("home-role")).to_have_text(shown(app, Role.ENTERPRISE))
    with seeded(app) as session:
        org = session.scalar(sa.select(Organization).where(Organization.credit_code == RIGHT_CODE))
        assert org is not None
        assert (org.name, org.district_id, org.industry_id) == (UNIT, xuhui, finance)
        user = session.scalar(sa.select(User).where(User.email == EMAIL))
        assert (user.role, user.organization_id) == (Role.ENTERPRISE, org.id)
