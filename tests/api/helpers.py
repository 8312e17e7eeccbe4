"""Tokens and authenticated requests for the API tests."""

from __future__ import annotations

from portal.accounts.models import Role, User
from portal.accounts.service import create_api_token
from portal.db import get_session
from tests.factories import make_user


def token_for(user: User) -> str:
    _token, secret = create_api_token(get_session(), user, "test")
    get_session().flush()
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def auth_headers(user: User) -> dict[str, str]:
    return bearer(token_for(user))


def api_get(client, path: str, user: User | None = None, **kwargs):
    headers = kwargs.pop("headers", {})
    if user is not None:
        headers = {**auth_headers(user), **headers}
    return client.get(path, headers=headers, **kwargs)


def user_of(role: Role, **fields) -> User:
    return make_user(role, **fields)
