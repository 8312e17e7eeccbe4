"""Public pages: verification, the honour roll and the revoked list; nothing personal, cacheable,
no session written for anonymous visitors, few statements."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.accounts.models import Role
from portal.campaigns.models import CategoryKind
from portal.honours import rules
from tests.factories import district, industry, make_campaign, make_org, make_user
from tests.honours.helpers import make_honour
from tests.querycount import counting

ID_NUMBER = "310101199003071234"
MOBILE = "13912345678"


def _person(**fields):
    """An individual's honour whose packet carries an ID number, a mobile and an age."""
    return make_honour(
        kind=CategoryKind.INDIVIDUAL,
        person_name="李文静",
        id_number=ID_NUMBER,
        mobile=MOBILE,
        age=36,
        **fields,
    )


def _today():
    return rules.shanghai_today()


def test_verification_of_an_active_honour_shows_holder_unit_category_and_validity(client, session):
    honour = _person(awarded_on=_today() - timedelta(days=10))
    response = client.get(f"/honours/verify?code={honour.verification_code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This honour is valid." in page
    assert 'data-status="active"' in page
    for shown in ("李文静", honour.unit_name, honour.certificate_number, "Individual"):
        assert shown in page
    assert honour.valid_until.isoformat() in page
    for private in (ID_NUMBER, MOBILE, "1990-03-07"):
        assert private not in page


def test_verification_of_an_expired_honour_says_so(client, session):
    honour = make_honour(awarded_on=_today() - timedelta(days=3 * 366))
    assert honour.valid_until < _today()
    page = client.get(f"/honours/verify?code={honour.verification_code}").get_data(as_text=True)
    assert "This honour has expired." in page


def test_a_revoked_honour_verifies_as_revoked_with_date_and_reason(client, session):
    honour = make_honour(revoked_on=_today(), reason="暗访发现与顾客争吵，经查属实")
    page = client.get(f"/honours/verify?code={honour.verification_code}").get_data(as_text=True)
    assert "This honour has been revoked." in page
    assert "暗访发现与顾客争吵，经查属实" in page


@pytest.mark.parametrize("code", ["ABCDEFGH23", "x", "FWMX-2026-T-001"])
def test_an_unknown_code_is_not_found_without_hints(client, session, code):
    make_honour()
    response = client.get(f"/honours/verify?code={code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "No honour has this verification code." in page
    assert 'data-testid="verify-result"' not in page


def test_a_near_miss_code_is_just_not_found(client, session):
    honour = make_honour()
    code = honour.verification_code
    near = code[:-1] + ("2" if code[-1] != "2" else "3")
    response = client.get(f"/honours/verify?code={near}")
    assert response.status_code == 404
    assert honour.holder_name not in response.get_data(as_text=True)


def test_the_roll_shows_current_holders_only(client, session):
    active = make_honour()
    expired = make_honour(awarded_on=_today() - timedelta(days=3 * 366))
    revoked = make_honour(revoked_on=_today())
    page = client.get("/honours").get_data(as_text=True)
    assert active.holder_name in page
    assert expired.holder_name not in page
    assert revoked.holder_name not in page


def test_the_roll_filters_by_year_category_industry_and_district(client, session):
    in_2030 = make_campaign(year=2030)
    bank = make_org(district=district("xuhui"), industry=industry("finance"))
    hotel = make_org(district=district("huangpu"), industry=industry("hotels"))
    team = make_honour(campaign=in_2030, organization=bank)
    person = make_honour(campaign=in_2030, organization=hotel, kind=CategoryKind.INDIVIDUAL)
    other_year = make_honour(organization=bank)

    def shown(query):
        page = client.get(f"/honours?{query}").get_data(as_text=True)
        return {h.holder_name for h in (team, person, other_year) if h.holder_name in page}

    assert shown("year=2030") == {team.holder_name, person.holder_name}
    assert shown("year=2030&kind=individual") == {person.holder_name}
    assert shown("industry=finance") == {team.holder_name, other_year.holder_name}
    assert shown("district=huangpu") == {person.holder_name}
    assert shown("year=2030&district=xuhui&kind=team") == {team.holder_name}


def test_the_revoked_list_shows_holder_unit_date_and_reason(client, session):
    revoked = _person(revoked_on=_today() - timedelta(days=2), reason="拒绝服务，经查属实")
    active = make_honour()
    page = client.get("/honours/revoked").get_data(as_text=True)
    assert "李文静" in page and revoked.unit_name in page
    assert (_today() - timedelta(days=2)).isoformat() in page
    assert "拒绝服务，经查属实" in page
    assert active.holder_name not in page
    assert ID_NUMBER not in page and MOBILE not in page


@pytest.mark.parametrize("path", ["/honours", "/honours/revoked", "/honours/verify"])
def test_public_pages_are_cacheable_and_write_no_session_for_anonymous(client, session, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in response.headers


def test_public_pages_are_private_for_a_logged_in_user(client, login, session):
    login(make_user(Role.ENTERPRISE))
    response = client.get("/honours")
    assert response.headers["Cache-Control"] == "private, no-cache"


def _queries(app, client, path: str) -> list[str]:
    """The statements a page sends, without the test harness's savepoints."""
    with counting(app.extensions["portal.db"]["engine"]) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return [s for s in statements if "SAVEPOINT" not in s]


@pytest.mark.parametrize("n", [1, 30])
def test_the_roll_needs_at_most_five_statements(app, client, session, n):
    for _ in range(n):
        make_honour(organization=make_org(industry=industry("hotels")))
    session.flush()
    statements = _queries(app, client, "/honours")
    assert len(statements) == 4, statements  # honours, years, districts, industries


@pytest.mark.parametrize("n", [1, 30])
def test_the_revoked_list_needs_one_statement(app, client, session, n):
    for _ in range(n):
        make_honour(revoked_on=_today())
    session.flush()
    assert len(_queries(app, client, "/honours/revoked")) == 1


def test_the_office_list_sends_as_many_statements_for_30_honours_as_for_1(
    app, client, login, session
):
    login(make_user(Role.OFFICE))
    make_honour()
    session.flush()
    one = _queries(app, client, "/honours/manage")
    for _ in range(29):
        make_honour()
    session.flush()
    many = _queries(app, client, "/honours/manage")
    # user, count, page, the campaigns awaiting a final list or with honours, proposals
    assert len(many) == len(one) == 5, many
