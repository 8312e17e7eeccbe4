"""Enterprise registration: POST /register creates the unit and its first account."""

from __future__ import annotations

import sqlalchemy as sa

from portal.accounts.models import Role, User
from portal.applications.models import Application
from portal.audit import AuditEntry
from portal.organizations.models import Organization, OrgKind, UnitNature
from tests.accounts.helpers import count, english, text
from tests.applications.helpers import category, open_campaign
from tests.factories import district, industry, make_org, make_user


def _form(**overrides) -> dict:
    data = {
        "unit_name": "徐汇客户服务中心",
        "credit_code": "91110108551385082Q",
        "district_id": district("xuhui").id,
        "industry_id": industry("telecom").id,
        "contact_name": "李服务",
        "mobile": "13812345678",
        "email": "Service-Centre@Example.com",
        "password": "a-long-password-1",
        "confirm": "a-long-password-1",
    }
    data.update(overrides)
    return data


def test_good_registration_creates_enterprise_and_user_and_logs_in(client, session):
    response = client.post("/register", data=_form())
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"

    org = session.scalar(sa.select(Organization).where(Organization.name == "徐汇客户服务中心"))
    assert (org.kind, org.credit_code, org.district.code, org.industry.code) == (
        OrgKind.ENTERPRISE,
        "91110108551385082Q",
        "xuhui",
        "telecom",
    )
    user = session.scalar(sa.select(User).where(User.organization_id == org.id))
    assert (user.email, user.role, user.name, user.mobile) == (
        "service-centre@example.com",
        Role.ENTERPRISE,
        "李服务",
        "13812345678",
    )
    assert user.check_password("a-long-password-1")
    actions = session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["organization.register", "user.register"]
    home = client.get("/home")
    assert home.status_code == 200
    assert "李服务" in text(home)


def test_lower_case_credit_code_is_stored_in_capitals(client, session):
    client.post("/register", data=_form(credit_code="91350100m000100y43"))
    org = session.scalar(sa.select(Organization).where(Organization.name == "徐汇客户服务中心"))
    assert org.credit_code == "91350100M000100Y43"


def test_wrong_credit_code_shows_check_error_and_creates_nothing(client, session):
    english(client)
    before = (count(Organization), count(User))
    response = client.post("/register", data=_form(credit_code="91110108551385082R"))
    assert response.status_code == 200
    assert (
        "The check character of this unified social credit code is wrong; please check the "
        "code against the unit's business licence." in text(response)
    )
    assert (count(Organization), count(User)) == before
    assert client.get("/home").status_code == 302  # not logged in


def test_duplicate_credit_code_is_refused_with_its_message(client, session):
    make_org(OrgKind.ENTERPRISE, credit_code="91110108551385082Q")
    english(client)
    before = (count(Organization), count(User))
    response = client.post("/register", data=_form())
    assert response.status_code == 200
    assert (
        "A unit with this unified social credit code is already registered. "
        "Ask its account holder or the programme office for access." in text(response)
    )
    assert (count(Organization), count(User)) == before


def test_duplicate_email_is_refused_with_its_message(client, session):
    make_user(Role.EXPERT, email="service-centre@example.com")
    english(client)
    before = (count(Organization), count(User))
    response = client.post("/register", data=_form())
    assert response.status_code == 200
    assert "This email address already has an account." in text(response)
    assert (count(Organization), count(User)) == before


def test_a_taken_credit_code_does_not_tell_who_holds_it(client, session):
    holder = make_org(
        OrgKind.ENTERPRISE,
        credit_code="91110108551385082Q",
        contact_name="赵持有",
        contact_email="holder@example.com",
        contact_mobile="13900001111",
    )
    make_user(Role.ENTERPRISE, organization=holder, email="holder@example.com", name="赵持有")
    english(client)
    page = text(client.post("/register", data=_form(unit_name="另一个名称")))
    assert "A unit with this unified social credit code is already registered." in page
    for secret in ("holder@example.com", "holder@", "赵持有", "13900001111", holder.name):
        assert secret not in page


def test_registration_without_district_or_industry_is_refused_with_a_clear_message(client, session):
    english(client)
    page = text(client.get("/register"))
    for select in ("district_id", "industry_id", "unit_nature"):
        first = page.split(f'name="{select}"', 1)[1].split("<option", 2)[1]
        assert first.startswith(' selected value=""') or first.startswith(' value="" selected')
    before = (count(Organization), count(User))
    response = client.post("/register", data=_form(district_id="", industry_id=""))
    assert response.status_code == 200
    assert "Choose the district where your unit is registered." in text(response)
    assert "Choose the industry of your unit." in text(response)
    assert (count(Organization), count(User)) == before


def test_a_new_packet_carries_the_registered_details_of_the_unit(client, login, session):
    campaign = open_campaign()
    group = make_org(OrgKind.OTHER, name="上海服务集团")
    session.commit()
    details = {"unit_nature": "state_owned", "address": "徐汇区漕溪北路88号", "postcode": "200030"}
    assert client.post("/register", data=_form(**details)).status_code == 302
    org = session.scalar(sa.select(Organization).where(Organization.name == "徐汇客户服务中心"))
    org.parent = group  # the office records the superior body
    session.commit()
    team = category(campaign, campaign.categories[0].kind)
    response = client.post("/applications/new", data={"category_id": team.id})
    assert response.status_code == 302
    app = session.scalar(sa.select(Application).where(Application.organization_id == org.id))
    assert (app.unit_nature, app.unit_address, app.unit_postcode, app.unit_superior) == (
        UnitNature.STATE_OWNED,
        "徐汇区漕溪北路88号",
        "200030",
        "上海服务集团",
    )
    assert (app.district.code, app.industry.code) == ("xuhui", "telecom")
