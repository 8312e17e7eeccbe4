"""Every operation of /api/v1, from its own OpenAPI document, with generated input and four roles.

Schemathesis generates valid and invalid parameters and bodies per operation from the document
the portal serves; each case is sent anonymously and with an enterprise, a channel reviewer, an
expert and an office token. Half the cases carry real seeded ids in their path, so the deep
paths run too. No answer may be a 5xx, and each documented answer must match its schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from portal.accounts.models import Role
from portal.api import openapi
from tests.fuzz.conftest import World, cases
from tests.fuzz.settings import fuzz_settings

ROLES = (None, Role.ENTERPRISE, Role.CHANNEL_REVIEWER, Role.EXPERT, Role.OFFICE)
METHODS = ("get", "post", "put", "patch", "delete")
OPERATIONS = [
    (method, path)
    for path, item in openapi.document()["paths"].items()
    for method in item
    if method in METHODS
]
# Which seeded rows each path parameter of the document names.
PATH_KINDS = {
    "application_id": "application",
    "file_id": "file",
    "campaign_id": "campaign",
    "honour_id": "honour",
    "objection_id": "objection",
    "organization_id": "organization",
    "sheet_id": "sheet",
}
# No 5xx, and every documented answer has the documented shape.
CHECKS = [not_a_server_error, response_schema_conformance]
CONFIG = {"generation": {"deterministic": True, "with-security-parameters": False}}


@pytest.fixture(scope="session")
def api_schema(world: World):
    """The document as the portal serves it, with requests going to the portal through WSGI."""
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", world.app, config=schemathesis.Config.from_dict(CONFIG)
    )


def test_every_served_operation_is_fuzzed(api_schema):
    served = {(op.ok().method.lower(), op.ok().path) for op in api_schema.get_all_operations()}
    # Schemathesis leaves out the document it was loaded from; that operation is fuzzed anyway.
    assert served | {("get", "/api/v1/openapi.json")} == set(OPERATIONS)


def _strategy(operation):
    modes = [operation.as_strategy(GenerationMode.POSITIVE)]
    if operation.path_parameters or operation.query or operation.body:
        modes.append(operation.as_strategy(GenerationMode.NEGATIVE))
    return st.one_of(modes)


def _real_path(world: World, data, path_parameters: dict) -> dict:
    return {
        name: data.draw(st.sampled_from(world.ids.get(PATH_KINDS.get(name, ""), [1, 2])))
        for name in path_parameters
    }


@pytest.mark.parametrize(
    ("method", "path"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p in OPERATIONS]
)
def test_api_operation_never_answers_5xx(api_schema, world, method, path):
    operation = api_schema[path][method]

    @given(case=_strategy(operation), data=st.data())
    @fuzz_settings(max_examples=15)
    def fuzz(case, data):
        if case.path_parameters and data.draw(st.booleans()):
            case.path_parameters = _real_path(world, data, case.path_parameters)
        for role in ROLES:
            headers = {} if role is None else {"Authorization": f"Bearer {world.tokens[role]}"}
            response = case.call(headers=headers)
            cases["api"] += 1
            case.validate_response(response, checks=CHECKS)

    fuzz()
