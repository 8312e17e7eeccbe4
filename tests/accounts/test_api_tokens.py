"""The API tokens page: the secret is shown once, only its hash is kept, revocation works."""

from __future__ import annotations

import hashlib
import re

import sqlalchemy as sa

from portal.accounts.models import ApiToken, Role
from portal.accounts.service import create_api_token, user_for_api_token
from tests.factories import make_user

SECRET_RE = re.compile(r'<code data-testid="new-token">(ssp_[\w-]+)</code>')


def test_create_shows_the_secret_once_and_stores_only_its_hash(client, session, login):
    user = make_user(Role.ENTERPRISE)
    login(user)
    response = client.post("/account/tokens", data={"name": "统计脚本"})
    secret = SECRET_RE.search(response.get_data(as_text=True)).group(1)
    token = session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.name == "统计脚本"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:10]
    stored = [str(v) for v in session.execute(sa.select(ApiToken.__table__)).one()]
    assert secret not in stored
    page = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in page
    assert token.prefix in page
    assert user_for_api_token(session, secret).id == user.id


def test_revoke_works(client, session, login):
    user = make_user(Role.EXPERT)
    token, secret = create_api_token(session, user, "old")
    session.flush()
    login(user)
    response = client.post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 302
    session.refresh(token)
    assert token.revoked_at is not None
    assert user_for_api_token(session, secret) is None


def test_revoking_another_users_token_is_404_and_changes_nothing(client, session, login):
    owner = make_user(Role.ENTERPRISE)
    token, secret = create_api_token(session, owner, "theirs")
    session.flush()
    login(make_user(Role.ENTERPRISE))
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    session.refresh(token)
    assert token.revoked_at is None
    assert user_for_api_token(session, secret).id == owner.id
