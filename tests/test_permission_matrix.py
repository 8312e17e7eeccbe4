"""Every route has an expected outcome for every role, and the server keeps to it."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.permission_specs as specs_pkg
from portal import create_app
from portal.accounts.models import Role
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


def test_every_route_has_a_spec(tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "INSTANCE_PATH": str(tmp_path)})
    covered = {(s.endpoint, s.method) for s in SPECS}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in IGNORED_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert missing == [], "routes without a permission spec:\n" + "\n".join(missing)


def _default_url(app, endpoint: str) -> str:
    from flask import url_for

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
