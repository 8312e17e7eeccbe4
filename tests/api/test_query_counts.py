"""List endpoints run the same number of SQL statements for 1 row as for 30."""

from __future__ import annotations

from portal.accounts.models import Role
from portal.organizations.models import OrgKind
from tests.api.helpers import auth_headers
from tests.factories import district, industry, make_campaign, make_org, make_user
from tests.querycount import counting


def _statements(client, session, path: str, headers: dict, expected_rows: int) -> int:
    session.expunge_all()  # nothing cached from setting up: every load goes to the database
    with counting(session.connection()) as statements:
        response = client.get(path, headers=headers)
    assert response.status_code == 200
    assert len(response.get_json()["data"]) == expected_rows
    return len(statements)


def test_organization_list_query_count_does_not_grow_with_rows(client, session):
    channel = make_org(OrgKind.CHANNEL, district=district("huangpu"))
    reviewer = make_user(Role.CHANNEL_REVIEWER, organization=channel)
    office = make_user(Role.OFFICE)
    headers = {"reviewer": auth_headers(reviewer), "office": auth_headers(office)}
    path = "/api/v1/organizations?kind=enterprise&per_page=100"
    make_org(district=district("huangpu"), industry=industry("finance"))

    one = {who: _statements(client, session, path, h, 1) for who, h in headers.items()}
    for n in range(29):
        make_org(
            district=district("huangpu"),
            industry=industry("finance" if n % 2 else "railway"),
            parent_id=channel.id if n % 3 == 0 else None,
        )
    thirty = {who: _statements(client, session, path, h, 30) for who, h in headers.items()}
    assert thirty == one


def test_campaign_list_query_count_does_not_grow_with_rows(client, session):
    expert = make_user(Role.EXPERT)  # sees the rubric too: one more eager load
    enterprise = make_user(Role.ENTERPRISE)
    headers = {"expert": auth_headers(expert), "enterprise": auth_headers(enterprise)}
    path = "/api/v1/campaigns?per_page=100"
    make_campaign(2000, districts=[district("huangpu")], industries=[industry("finance")])

    one = {who: _statements(client, session, path, h, 1) for who, h in headers.items()}
    for year in range(2001, 2030):
        make_campaign(year, districts=[district("xuhui")], industries=[industry("railway")])
    thirty = {who: _statements(client, session, path, h, 30) for who, h in headers.items()}
    assert thirty == one
    assert one["expert"] == one["enterprise"] + 1
