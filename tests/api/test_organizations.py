"""/api/v1/organizations: who sees which organization, masking of personal data, filters, pages."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from portal.accounts.models import Role, User
from portal.api.visibility import can_see_organization
from portal.organizations.models import (
    ChannelLevel,
    Organization,
    OrgKind,
    OrgSystem,
    UnitNature,
)
from tests.api.helpers import api_get
from tests.factories import district, industry, make_org, make_user, shanghai


@dataclass
class World:
    organizer: Organization
    office: Organization
    huangpu_union: Organization  # district channel, Huangpu
    finance_youth: Organization  # industry channel, finance
    bank_huangpu: Organization  # enterprise, Huangpu, finance
    rail_xuhui: Organization  # enterprise, Xuhui, railway
    bank_xuhui: Organization  # enterprise, Xuhui, finance
    institute: Organization  # an expert's home institution

    @property
    def directory(self) -> set[int]:
        return {self.organizer.id, self.office.id, self.huangpu_union.id, self.finance_youth.id}

    @property
    def all(self) -> set[int]:
        return self.directory | {
            self.bank_huangpu.id,
            self.rail_xuhui.id,
            self.bank_xuhui.id,
            self.institute.id,
        }


@pytest.fixture
def world(session) -> World:
    return World(
        organizer=make_org(OrgKind.ORGANIZER, name="上海市质量协会", system=OrgSystem.QUALITY),
        office=make_org(OrgKind.OFFICE, name="市创建活动工作办公室"),
        huangpu_union=make_org(OrgKind.CHANNEL, name="黄浦区总工会", district=district("huangpu")),
        finance_youth=make_org(
            OrgKind.CHANNEL,
            name="金融团工委",
            system=OrgSystem.YOUTH,
            channel_level=ChannelLevel.INDUSTRY,
            district=None,
            industry=industry("finance"),
        ),
        bank_huangpu=make_org(
            name="某银行黄浦支行",
            district=district("huangpu"),
            industry=industry("finance"),
            contact_name="张联系",
            contact_mobile="13812345678",
            contact_email="zhang@example.com",
        ),
        rail_xuhui=make_org(
            name="徐汇火车站", district=district("xuhui"), industry=industry("railway")
        ),
        bank_xuhui=make_org(
            name="某银行徐汇支行", district=district("xuhui"), industry=industry("finance")
        ),
        institute=make_org(OrgKind.OTHER, name="某大学管理学院"),
    )


def _users(w: World) -> dict[str, tuple[User, set[int]]]:
    """A user of each role, with the organizations that user must see."""
    return {
        "office": (make_user(Role.OFFICE, organization=w.office), w.all),
        "admin": (make_user(Role.ADMIN, organization=w.office), w.all),
        "organizer": (make_user(Role.ORGANIZER, organization=w.organizer), w.directory),
        "expert": (
            make_user(Role.EXPERT, organization=w.institute),
            w.directory | {w.institute.id},
        ),
        "district_channel": (
            make_user(Role.CHANNEL_REVIEWER, organization=w.huangpu_union),
            w.directory | {w.bank_huangpu.id},
        ),
        "industry_channel": (
            make_user(Role.CHANNEL_REVIEWER, organization=w.finance_youth),
            w.directory | {w.bank_huangpu.id, w.bank_xuhui.id},
        ),
        "enterprise": (
            make_user(Role.ENTERPRISE, organization=w.rail_xuhui),
            w.directory | {w.rail_xuhui.id},
        ),
    }


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [row["id"] for row in response.get_json()["data"]]


@pytest.mark.parametrize(
    "who",
    [
        "office",
        "admin",
        "organizer",
        "expert",
        "district_channel",
        "industry_channel",
        "enterprise",
    ],
)
def test_each_role_lists_and_opens_exactly_the_organizations_it_may_see(client, world, who):
    user, expected = _users(world)[who]
    listed = _ids(api_get(client, "/api/v1/organizations?per_page=100", user))
    assert listed == sorted(expected)
    for org_id in world.all:
        response = api_get(client, f"/api/v1/organizations/{org_id}", user)
        assert response.status_code == (200 if org_id in expected else 404), (who, org_id)


def test_predicate_and_list_query_agree_for_every_role(client, world):
    for who, (user, _expected) in _users(world).items():
        listed = set(_ids(api_get(client, "/api/v1/organizations?per_page=100", user)))
        for org in world.__dict__.values():
            assert can_see_organization(user, org) == (org.id in listed), (who, org.name)


def test_hidden_organization_answers_like_a_missing_one(client, world):
    user = make_user(Role.ENTERPRISE, organization=world.rail_xuhui)
    hidden = api_get(
        client, f"/api/v1/organizations/{world.bank_xuhui.id}", user, query_string={"lang": "en"}
    )
    missing = api_get(client, "/api/v1/organizations/999999", user, query_string={"lang": "en"})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == {
        "error": {
            "code": "not_found",
            "message": f"There is no organization with the id {world.bank_xuhui.id}.",
        }
    }
    assert missing.get_json()["error"]["message"] == "There is no organization with the id 999999."


def test_full_record_for_the_office(client, session):
    org = make_org(
        name="某银行黄浦支行",
        credit_code="91310000000000001Y",
        district=district("huangpu"),
        industry=industry("finance"),
        unit_nature=UnitNature.STATE_CONTROLLED,
        contact_name="张联系",
        contact_mobile="13812345678",
        contact_email="zhang@example.com",
        address="中山东一路1号",
        postcode="200002",
        created_at=shanghai(2026, 3, 1, 9, 30),
    )
    office = make_user(Role.OFFICE)
    response = api_get(client, f"/api/v1/organizations/{org.id}", office)
    assert response.get_json() == {
        "id": org.id,
        "name": "某银行黄浦支行",
        "kind": "enterprise",
        "system": None,
        "channel_level": None,
        "district": {"code": "huangpu", "name_zh": "黄浦区", "name_en": "Huangpu"},
        "industry": {"code": "finance", "name_zh": "金融", "name_en": "Finance"},
        "parent_id": None,
        "credit_code": "91310000000000001Y",
        "unit_nature": "state_controlled",
        "address": "中山东一路1号",
        "postcode": "200002",
        "active": True,
        "contact": {"name": "张联系", "mobile": "13812345678", "email": "zhang@example.com"},
        "created_at": "2026-03-01T09:30:00+08:00",
    }


def test_contact_details_are_masked_except_for_office_admin_and_own_users(client, world):
    path = f"/api/v1/organizations/{world.bank_huangpu.id}"
    plain = {"name": "张联系", "mobile": "13812345678", "email": "zhang@example.com"}
    masked = {"name": "张联系", "mobile": "138****5678", "email": "z***@example.com"}
    cases = [
        (make_user(Role.OFFICE, organization=world.office), plain),
        (make_user(Role.ADMIN, organization=world.office), plain),
        (make_user(Role.ENTERPRISE, organization=world.bank_huangpu), plain),
        (make_user(Role.CHANNEL_REVIEWER, organization=world.huangpu_union), masked),
        (make_user(Role.CHANNEL_REVIEWER, organization=world.finance_youth), masked),
    ]
    for user, contact in cases:
        assert api_get(client, path, user).get_json()["contact"] == contact, user.role
    listed = api_get(
        client,
        "/api/v1/organizations?kind=enterprise",
        make_user(Role.CHANNEL_REVIEWER, organization=world.huangpu_union),
    ).get_json()["data"]
    assert [row["contact"] for row in listed] == [masked]


def test_channel_sees_its_own_contact_unmasked_and_others_masked(client, world):
    world.huangpu_union.contact_mobile = "13900001111"
    world.finance_youth.contact_mobile = "13700002222"
    user = make_user(Role.CHANNEL_REVIEWER, organization=world.huangpu_union)
    rows = api_get(client, "/api/v1/organizations?kind=channel", user).get_json()["data"]
    assert {row["name"]: row["contact"]["mobile"] for row in rows} == {
        "黄浦区总工会": "13900001111",
        "金融团工委": "137****2222",
    }


def test_filters_by_kind_system_and_district(client, world):
    office = make_user(Role.OFFICE, organization=world.office)

    def ids(query: str) -> list[int]:
        return _ids(api_get(client, f"/api/v1/organizations?{query}", office))

    assert ids("kind=enterprise") == sorted(
        [world.bank_huangpu.id, world.rail_xuhui.id, world.bank_xuhui.id]
    )
    assert ids("kind=channel") == sorted([world.huangpu_union.id, world.finance_youth.id])
    assert ids("system=youth") == [world.finance_youth.id]
    assert ids("system=quality") == [world.organizer.id]
    assert ids("district=xuhui") == sorted([world.rail_xuhui.id, world.bank_xuhui.id])
    assert ids("district=huangpu&kind=channel") == [world.huangpu_union.id]
    assert ids("district=pudong") == []


def test_filters_never_widen_what_a_role_sees(client, world):
    user = make_user(Role.ENTERPRISE, organization=world.rail_xuhui)
    response = api_get(client, "/api/v1/organizations?kind=enterprise&district=xuhui", user)
    assert _ids(response) == [world.rail_xuhui.id]


def test_pages_of_organizations(client, world):
    office = make_user(Role.OFFICE, organization=world.office)
    everything = sorted(world.all)
    first = api_get(client, "/api/v1/organizations?per_page=3", office).get_json()
    assert [r["id"] for r in first["data"]] == everything[:3]
    assert first["meta"] == {"page": 1, "per_page": 3, "total": 8, "pages": 3}
    last = api_get(client, "/api/v1/organizations?per_page=3&page=3", office).get_json()
    assert [r["id"] for r in last["data"]] == everything[6:]
    assert last["meta"] == {"page": 3, "per_page": 3, "total": 8, "pages": 3}
    beyond = api_get(client, "/api/v1/organizations?per_page=3&page=4", office).get_json()
    assert beyond == {"data": [], "meta": {"page": 4, "per_page": 3, "total": 8, "pages": 3}}
    default = api_get(client, "/api/v1/organizations", office).get_json()
    assert default["meta"] == {"page": 1, "per_page": 20, "total": 8, "pages": 1}
    full = api_get(client, "/api/v1/organizations?per_page=100", office).get_json()
    assert full["meta"]["per_page"] == 100
