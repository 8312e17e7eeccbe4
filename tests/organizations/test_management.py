"""Organization management by the office: the rules of each kind, audit, deactivation, lists."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.audit import AuditEntry
from portal.organizations.models import ChannelLevel, Organization, OrgKind, OrgSystem, UnitNature
from tests.accounts.helpers import count, english, text
from tests.factories import district, industry, make_org, make_user
from tests.querycount import page_statements


@pytest.fixture
def office(client, login):
    user = make_user(Role.OFFICE)
    login(user)
    english(client)
    return user


def _post(client, path="/office/organizations/new", **data):
    return client.post(path, data={k: "" if v is None else v for k, v in data.items()})


def _org(session, name: str) -> Organization | None:
    return session.scalar(sa.select(Organization).where(Organization.name == name))


def _audit(session, action: str) -> list[AuditEntry]:
    return session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    ).all()


def _quality_organizer():
    return make_org(OrgKind.ORGANIZER, name="上海市质量协会", system=OrgSystem.QUALITY)


ENTERPRISE = {
    "name": "浦东银行营业部",
    "kind": "enterprise",
    "credit_code": "91350100m000100y43",
    "unit_nature": "state_owned",
}


def test_office_creates_an_enterprise_and_the_audit_keeps_its_snapshot(client, session, office):
    parent = make_org(OrgKind.OTHER, name="某银行上海分行")
    response = _post(
        client,
        **ENTERPRISE,
        district_id=district("pudong").id,
        industry_id=industry("finance").id,
        parent_id=parent.id,
        contact_mobile="13812345678",
        postcode="200120",
        system="union",  # not carried by enterprises: cleared
    )
    org = _org(session, "浦东银行营业部")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/office/organizations/{org.id}/edit"
    assert (org.kind, org.credit_code, org.unit_nature, org.system, org.parent_id) == (
        OrgKind.ENTERPRISE,
        "91350100M000100Y43",
        UnitNature.STATE_OWNED,
        None,
        parent.id,
    )
    (entry,) = _audit(session, "organization.create")
    assert (entry.actor_id, entry.object_id, entry.before) == (office.id, str(org.id), None)
    assert entry.after["credit_code"] == "91350100M000100Y43"
    assert entry.after["district_id"] == district("pudong").id
    assert entry.after["unit_nature"] == "state_owned"


def test_enterprise_with_wrong_check_character_is_refused(client, session, office):
    before = count(Organization)
    response = _post(
        client,
        **{**ENTERPRISE, "credit_code": "91350100M000100Y44"},
        district_id=district().id,
        industry_id=industry().id,
    )
    assert response.status_code == 200
    assert "The check character of this unified social credit code is wrong" in text(response)
    assert count(Organization) == before
    assert _audit(session, "organization.create") == []


def test_enterprise_needs_code_district_and_industry_all_reported_at_once(client, office):
    page = text(_post(client, name="无码单位", kind="enterprise"))
    assert "An enterprise needs its unified social credit code." in page
    assert "Choose the district." in page
    assert "Choose the industry." in page


def test_enterprise_credit_code_must_be_unique(client, session, office):
    make_org(OrgKind.ENTERPRISE, credit_code="91350100M000100Y43")
    page = text(_post(client, **ENTERPRISE, district_id=district().id, industry_id=industry().id))
    assert "Another organization already has this unified social credit code." in page
    assert _org(session, "浦东银行营业部") is None


def test_names_are_unique(client, office):
    make_org(OrgKind.OTHER, name="同名单位")
    page = text(_post(client, name="同名单位", kind="other"))
    assert "Another organization already has this name." in page


def test_organizer_needs_a_system_and_one_per_system(client, session, office):
    page = text(_post(client, name="市总工会", kind="organizer"))
    assert (
        "Organizers and channel organizations belong to one of the four systems: choose it." in page
    )
    assert _post(client, name="市总工会", kind="organizer", system="union").status_code == 302
    page = text(_post(client, name="另一个工会", kind="organizer", system="union"))
    assert "There is already an active organizer for this system." in page
    assert _org(session, "市总工会").system is OrgSystem.UNION


def test_office_belongs_to_the_quality_association_organizer(client, session, office):
    page = text(_post(client, name="创建办", kind="office"))
    assert "create that organizer first" in page
    quality = _quality_organizer()
    union = make_org(OrgKind.ORGANIZER, system=OrgSystem.UNION)
    page = text(_post(client, name="创建办", kind="office", parent_id=union.id))
    assert "must be the quality association organizer" in page
    assert _post(client, name="创建办", kind="office").status_code == 302
    assert _org(session, "创建办").parent_id == quality.id


def test_district_channel_needs_a_district_and_is_one_per_system(client, session, office):
    page = text(_post(client, name="黄浦区总工会", kind="channel", system="union"))
    assert "Choose whether the channel organization works for a district" in page
    page = text(
        _post(client, name="黄浦区总工会", kind="channel", system="union", channel_level="district")
    )
    assert "Choose the district." in page
    huangpu = district("huangpu").id
    ok = _post(
        client,
        name="黄浦区总工会",
        kind="channel",
        system="union",
        channel_level="district",
        district_id=huangpu,
        industry_id=industry().id,  # district channels carry no industry
    )
    assert ok.status_code == 302
    assert (
        _org(session, "黄浦区总工会").district_id,
        _org(session, "黄浦区总工会").industry_id,
    ) == (
        huangpu,
        None,
    )
    page = text(
        _post(
            client,
            name="黄浦区工会二",
            kind="channel",
            system="union",
            channel_level="district",
            district_id=huangpu,
        )
    )
    assert "This system already has an active channel organization for this district." in page
    women = _post(
        client,
        name="黄浦区妇联",
        kind="channel",
        system="women",
        channel_level="district",
        district_id=huangpu,
    )
    assert women.status_code == 302


def test_industry_channel_needs_only_a_name_and_may_name_an_industry(client, session, office):
    response = _post(
        client,
        name="上海铁路局团委",
        kind="channel",
        system="youth",
        channel_level="industry",
        district_id=district().id,  # industry channels carry no district
        industry_id=industry("railway").id,
    )
    assert response.status_code == 302
    org = _org(session, "上海铁路局团委")
    assert (org.channel_level, org.district_id, org.industry.code) == (
        ChannelLevel.INDUSTRY,
        None,
        "railway",
    )
    assert (
        _post(client, name="某集团质协", kind="channel", system="quality", channel_level="industry")
        .headers["Location"]
        .endswith("/edit")
    )


def test_bad_contact_mobile_and_postcode_are_refused(client, office):
    page = text(
        _post(client, name="专家单位", kind="other", contact_mobile="2381234567", postcode="20")
    )
    assert "A mobile number has 11 digits and starts with 1." in page
    assert "A postcode has 6 digits." in page


def test_edit_writes_before_and_after(client, session, office):
    org = make_org(OrgKind.OTHER, name="某大学", contact_name="张老师")
    response = _post(
        client,
        f"/office/organizations/{org.id}/edit",
        name="某大学管理学院",
        kind="other",
        contact_name="",
    )
    assert response.status_code == 302
    (entry,) = _audit(session, "organization.update")
    assert (entry.before["name"], entry.after["name"]) == ("某大学", "某大学管理学院")
    assert (entry.before["contact_name"], entry.after["contact_name"]) == ("张老师", None)


def test_saving_without_changes_writes_no_audit_entry(client, session, office):
    org = make_org(OrgKind.OTHER, name="不变单位")
    _post(client, f"/office/organizations/{org.id}/edit", name="不变单位", kind="other")
    assert _audit(session, "organization.update") == []


def test_kind_cannot_change_while_users_need_it(client, session, office):
    org = make_org(OrgKind.ENTERPRISE)
    make_user(Role.ENTERPRISE, organization=org)
    page = text(_post(client, f"/office/organizations/{org.id}/edit", name=org.name, kind="other"))
    assert "whose roles need its present kind" in page
    session.refresh(org)
    assert org.kind is OrgKind.ENTERPRISE


def test_changing_kind_clears_what_the_new_kind_does_not_carry(client, session, office):
    org = make_org(OrgKind.ENTERPRISE, name="转为其他")
    _post(client, f"/office/organizations/{org.id}/edit", name="转为其他", kind="other")
    session.refresh(org)
    assert (org.kind, org.credit_code, org.unit_nature) == (OrgKind.OTHER, None, None)


def test_superior_body_cannot_make_a_cycle(client, session, office):
    top = make_org(OrgKind.OTHER, name="集团")
    middle = make_org(OrgKind.OTHER, name="分公司", parent=top)
    page = text(
        _post(
            client,
            f"/office/organizations/{top.id}/edit",
            name="集团",
            kind="other",
            parent_id=middle.id,
        )
    )
    assert "cannot be its own superior body" in page
    session.refresh(top)
    assert top.parent_id is None


def test_deactivate_refused_while_accounts_are_active_then_allowed(client, session, office):
    org = make_org(OrgKind.ENTERPRISE)
    user = make_user(Role.ENTERPRISE, organization=org)
    response = client.post(f"/office/organizations/{org.id}/deactivate", follow_redirects=True)
    assert "still has active user accounts" in text(response)
    session.refresh(org)
    assert org.active is True

    user.active = False
    session.flush()
    client.post(f"/office/organizations/{org.id}/deactivate")
    session.refresh(org)
    assert org.active is False
    (entry,) = _audit(session, "organization.deactivate")
    assert (entry.before["active"], entry.after["active"]) == (True, False)

    client.post(f"/office/organizations/{org.id}/activate")
    session.refresh(org)
    assert org.active is True
    assert len(_audit(session, "organization.activate")) == 1


def test_unknown_organization_is_404(client, office):
    assert client.get("/office/organizations/999999/edit").status_code == 404
    assert client.post("/office/organizations/999999/deactivate").status_code == 404


def _names(response) -> list[str]:
    page = text(response)
    table = page[page.index('data-testid="organizations"') :]
    return [o for o in NAMES if f">{o}</a>" in table]


NAMES = ["黄浦工会", "黄浦妇联", "徐汇工会", "市妇联", "停用企业", "活跃企业"]


def test_list_filters_by_kind_system_district_and_status(client, office):
    huangpu, xuhui = district("huangpu"), district("xuhui")
    make_org(OrgKind.CHANNEL, name="黄浦工会", system=OrgSystem.UNION, district=huangpu)
    make_org(OrgKind.CHANNEL, name="黄浦妇联", system=OrgSystem.WOMEN, district=huangpu)
    make_org(OrgKind.CHANNEL, name="徐汇工会", system=OrgSystem.UNION, district=xuhui)
    make_org(OrgKind.ORGANIZER, name="市妇联", system=OrgSystem.WOMEN)
    make_org(OrgKind.ENTERPRISE, name="停用企业", district=xuhui, active=False)
    make_org(OrgKind.ENTERPRISE, name="活跃企业", district=xuhui)
    get = client.get
    assert _names(get("/office/organizations/")) == [n for n in NAMES if n != "停用企业"]
    assert _names(get("/office/organizations/?kind=channel")) == NAMES[:3]
    assert _names(get("/office/organizations/?system=women")) == ["黄浦妇联", "市妇联"]
    assert _names(get(f"/office/organizations/?district_id={xuhui.id}")) == [
        "徐汇工会",
        "活跃企业",
    ]
    assert _names(get("/office/organizations/?status=inactive")) == ["停用企业"]
    assert _names(get("/office/organizations/?status=all&kind=enterprise")) == NAMES[4:]
    assert _names(get("/office/organizations/?q=黄浦")) == ["黄浦工会", "黄浦妇联"]


def test_list_query_count_does_not_grow_with_rows(app, client, session, office):
    make_org(OrgKind.ENTERPRISE)
    few = page_statements(app, client, "/office/organizations/")
    for _ in range(30):
        make_org(OrgKind.ENTERPRISE, district=district("xuhui"), industry=industry("hotels"))
    assert page_statements(app, client, "/office/organizations/") == few


def test_an_organization_under_a_deactivated_superior_body_can_still_be_saved(
    client, session, office
):
    group = make_org(OrgKind.OTHER, name="旧集团", active=False)
    branch = make_org(OrgKind.OTHER, name="分支机构", parent=group)
    response = _post(
        client,
        f"/office/organizations/{branch.id}/edit",
        name="分支机构二",
        kind="other",
        parent_id=group.id,
    )
    assert response.status_code == 302
    session.refresh(branch)
    assert (branch.name, branch.parent_id) == ("分支机构二", group.id)
