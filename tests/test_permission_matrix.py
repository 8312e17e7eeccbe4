"""Every route has an expected outcome for every role, and the server keeps to it."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask import url_for

import tests.permission_specs as specs_pkg
from portal.accounts.models import Role
from tests.conftest import log_in
from tests.factories import make_user
from tests.permission_specs import ROLES, Spec

IGNORED_ENDPOINTS = {"static"}


def all_specs() -> list[Spec]:
    found: list[Spec] = []
    for info in pkgutil.iter_modules(specs_pkg.__path__):
        module = importlib.import_module(f"{specs_pkg.__name__}.{info.name}")
        found.extend(module.SPECS)
    return found


SPECS = all_specs()


def _routes(app):
    """(rule, method) for every route of the portal but the static files."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in IGNORED_ENDPOINTS:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def _api(endpoint: str) -> bool:
    return endpoint.startswith("api.")


def test_every_route_has_a_spec(app):
    """API routes without a spec are those that want a token: the walk below covers them."""
    covered = {(s.endpoint, s.method) for s in SPECS}
    missing = [
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule, method in _routes(app)
        if (rule.endpoint, method) not in covered and not _api(rule.endpoint)
    ]
    assert missing == [], "routes without a permission spec:\n" + "\n".join(missing)


def test_api_specs_are_only_for_routes_open_without_a_token():
    token_only = sorted(
        f"{s.method} {s.endpoint}"
        for s in SPECS
        if _api(s.endpoint) and set(s.expected.values()) == {"login"}
    )
    assert token_only == [], (
        "test_a_browser_login_opens_no_api_route checks these for every role; "
        "tests with tokens belong in tests/api/: " + ", ".join(token_only)
    )


def test_a_browser_login_opens_no_api_route(app):
    """Only a bearer token opens the API: every API route without a spec (those open to all have
    one) answers 401 to every role, logged in through the browser or not."""
    with_spec = {(s.endpoint, s.method) for s in SPECS}
    token_only = [
        (rule, method)
        for rule, method in _routes(app)
        if _api(rule.endpoint) and (rule.endpoint, method) not in with_spec
    ]
    assert len(token_only) > 20
    opened = []
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            log_in(client, make_user(Role(role)))
        for rule, method in token_only:
            # Authentication comes before any record is looked up, so any id will do.
            url = url_for(rule.endpoint, **dict.fromkeys(rule.arguments, 1))
            response = client.open(url, method=method)
            if response.status_code != 401:
                opened.append(f"{method} {url} as {role}: HTTP {response.status_code}")
    assert opened == []


def _default_url(app, endpoint: str) -> str:
    with app.test_request_context():
        return url_for(endpoint)


def _classify(response) -> str:
    if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
        return "login"
    if response.status_code == 401:
        return "login"
    if response.status_code == 403:
        return "forbidden"
    if response.status_code == 404:
        return "hidden"
    if response.status_code == 405:
        return "method-not-allowed"
    return "ok"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("spec", SPECS, ids=[s.name or f"{s.method}-{s.endpoint}" for s in SPECS])
def test_route_outcome_for_role(app, client, login, spec: Spec, role: str):
    user = None if role == "anonymous" else make_user(Role(role))
    if user is not None:
        login(user)
    url = spec.url(user) if spec.url else _default_url(app, spec.endpoint)
    response = client.open(url, method=spec.method, data=spec.data)
    assert _classify(response) == spec.expected[role], (
        f"{spec.method} {url} as {role}: HTTP {response.status_code}"
    )
