"""Bearer-token authentication: only the header counts, never the browser session."""

from __future__ import annotations

import re

from portal.accounts.models import ApiToken, Role
from portal.accounts.service import revoke_api_token
from portal.organizations.models import OrgKind
from tests.api.helpers import api_get, bearer, token_for
from tests.factories import make_org, make_user

MISSING = {
    "error": {
        "code": "unauthorized",
        "message": "Send an API token in the header 'Authorization: Bearer <token>'.",
    }
}
INVALID = {
    "error": {
        "code": "unauthorized",
        "message": "The API token is unknown or revoked, or its account is disabled.",
    }
}
EN = {"Accept-Language": "en"}


def test_request_without_token_is_refused_with_401_and_bearer_challenge(client):
    response = client.get("/api/v1/me", headers=EN)
    assert response.status_code == 401
    assert response.get_json() == MISSING
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api/v1"'
    assert response.mimetype == "application/json"


def test_other_authorization_schemes_count_as_no_token(client):
    for header in ("Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "ssp_abc"):
        response = client.get("/api/v1/me", headers={"Authorization": header, **EN})
        assert (response.status_code, response.get_json()) == (401, MISSING), header


def test_unknown_token_is_refused_as_invalid(client):
    response = client.get("/api/v1/me", headers={**bearer("ssp_not-a-real-token"), **EN})
    assert response.status_code == 401
    assert response.get_json() == INVALID
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api/v1", error="invalid_token"'


def test_revoked_token_is_refused(client, session):
    user = make_user(Role.OFFICE)
    secret = token_for(user)
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    token = session.query(ApiToken).filter_by(user_id=user.id).one()
    revoke_api_token(session, user, token)
    session.flush()
    response = client.get("/api/v1/me", headers={**bearer(secret), **EN})
    assert (response.status_code, response.get_json()) == (401, INVALID)


def test_token_of_an_inactive_user_is_refused(client, session):
    user = make_user(Role.ENTERPRISE)
    secret = token_for(user)
    user.active = False
    session.flush()
    response = client.get("/api/v1/me", headers={**bearer(secret), **EN})
    assert (response.status_code, response.get_json()) == (401, INVALID)


def test_scheme_name_is_case_insensitive(client):
    user = make_user(Role.EXPERT)
    response = client.get("/api/v1/me", headers={"Authorization": f"bearer {token_for(user)}"})
    assert response.status_code == 200
    assert response.get_json()["id"] == user.id


def test_me_describes_the_tokens_user_and_records_its_use(client, session):
    org = make_org(OrgKind.CHANNEL, name="黄浦区总工会")
    user = make_user(Role.CHANNEL_REVIEWER, organization=org, name="李审核", email="li@example.com")
    secret = token_for(user)
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 200
    assert response.get_json() == {
        "id": user.id,
        "name": "李审核",
        "email": "li@example.com",
        "role": "channel_reviewer",
        "locale": None,
        "organization": {"id": org.id, "name": "黄浦区总工会", "kind": "channel"},
    }
    assert response.headers["Cache-Control"] == "no-store"
    assert "Authorization" in response.headers["Vary"]
    session.expire_all()
    token = session.query(ApiToken).filter_by(user_id=user.id).one()
    assert token.last_used_at is not None


def test_browser_session_is_not_accepted(client, login):
    user = make_user(Role.ADMIN)
    login(user)
    assert client.get("/home").status_code == 200  # the session works on web pages
    response = client.get("/api/v1/me", headers=EN)
    assert (response.status_code, response.get_json()) == (401, MISSING)


def test_token_decides_the_user_even_with_another_users_session(client, login):
    logged_in = make_user(Role.ADMIN)
    holder = make_user(Role.ENTERPRISE)
    login(logged_in)
    response = api_get(client, "/api/v1/me", holder)
    assert response.get_json()["id"] == holder.id
    assert response.get_json()["role"] == "enterprise"


def test_token_made_on_the_tokens_page_works_until_revoked_there(client, login, session):
    user = make_user(Role.ORGANIZER)
    login(user)
    page = client.post("/account/tokens", data={"name": "统计脚本"}).get_data(as_text=True)
    secret = re.search(r'data-testid="new-token">(ssp_[A-Za-z0-9_-]+)<', page).group(1)
    client.post("/logout")
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert (response.status_code, response.get_json()["email"]) == (200, user.email)

    login(user)
    token = session.query(ApiToken).filter_by(user_id=user.id).one()
    client.post(f"/account/tokens/{token.id}/revoke")
    response = client.get("/api/v1/me", headers={**bearer(secret), **EN})
    assert (response.status_code, response.get_json()) == (401, INVALID)


def test_openapi_document_needs_no_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"] == "3.1.0"


def test_messages_follow_the_language_asked_for(client):
    default = client.get("/api/v1/me")
    assert default.headers["Content-Language"] == "zh-Hans-CN"
    english = client.get("/api/v1/me", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert english.headers["Content-Language"] == "en"
    assert english.get_json() == MISSING
    chinese = client.get("/api/v1/me", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert chinese.headers["Content-Language"] == "zh-Hans-CN"
    by_parameter = client.get("/api/v1/me?lang=en", headers={"Accept-Language": "zh-CN"})
    assert by_parameter.headers["Content-Language"] == "en"


def test_the_accounts_saved_language_applies_when_the_request_names_none(client):
    user = make_user(Role.OFFICE, locale="en")
    response = client.get("/api/v1/organizations?kind=bogus", headers=bearer(token_for(user)))
    assert response.status_code == 400
    assert response.headers["Content-Language"] == "en"
