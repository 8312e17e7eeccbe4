"""Bearer-token authentication for /api/v1; session cookies are deliberately not accepted."""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l

from portal.accounts.models import User
from portal.accounts.service import user_for_api_token
from portal.api.errors import ApiError
from portal.db import get_session, will_write

REALM = 'Bearer realm="api/v1"'


def bearer_secret() -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def authenticate() -> User:
    """The active user owning the request's token; ApiError 401 otherwise.

    Only the header counts: a logged-in browser session is ignored, which is why the API can be
    exempt from CSRF protection.
    """
    secret = bearer_secret()
    if secret is None:
        raise ApiError(
            401,
            "unauthorized",
            _l("Send an API token in the header 'Authorization: Bearer <token>'."),
            headers={"WWW-Authenticate": REALM},
        )
    will_write()  # the token's last-used time, whatever the method
    session = get_session()
    user = user_for_api_token(session, secret)
    if user is None:
        raise ApiError(
            401,
            "unauthorized",
            _l("The API token is unknown or revoked, or its account is disabled."),
            headers={"WWW-Authenticate": REALM + ', error="invalid_token"'},
        )
    session.commit()  # keeps the token's last-used time
    g.api_user = user
    # Kept as a plain value: an error answer must not need the database to find its language.
    g.api_user_locale = user.locale
    return user


def public(view):
    """Mark an API view as open to everyone: no token is asked for and none is looked at.

    Public answers carry no personal data and are not tied to a user, so they may be cached.
    """
    view.api_public = True
    return view


def is_public(endpoint: str | None) -> bool:
    view = current_app.view_functions.get(endpoint or "")
    return bool(getattr(view, "api_public", False))


def api_user() -> User:
    return g.api_user
